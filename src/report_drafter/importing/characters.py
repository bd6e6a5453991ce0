"""Characters that look like the ones a report means but are other code points, made the ones it means.

PDF text often carries Kangxi radicals and CJK compatibility ideographs where the font mapped a glyph
to them (“⺠” U+2EA0 for 民, “⾰” U+2FB0 for 革), so “人⺠政府” matches nothing. Those blocks are never
meant in Chinese prose: they are replaced by the unified ideograph (NFKC for the Kangxi Radicals and
compatibility blocks; a table for the CJK Radicals Supplement, which NFKC leaves alone). Nothing else
is touched (full-width punctuation stays as published).

A page in traditional characters (sites with a 繁體 switch) is converted to simplified with OpenCC,
only when the text is mostly traditional (`is_traditional`, a cheap count): simplified text never
imports opencc.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lines import Source

# CJK Radicals Supplement (U+2E80–U+2EFF) → the ideograph each radical form stands for (Unicode's
# EquivalentUnifiedIdeograph); NFKC maps only U+2E9F and U+2EF3 of this block.
RADICALS_SUPPLEMENT = {
    "⺀": "冫", "⺁": "厂", "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺅": "亻", "⺆": "冂", "⺇": "几", "⺈": "刀", "⺉": "刂",
    "⺊": "卜", "⺋": "卩", "⺌": "小", "⺍": "小", "⺎": "尢", "⺏": "尣", "⺐": "尢", "⺑": "尢", "⺒": "巳", "⺓": "幺",
    "⺔": "彐", "⺕": "彐", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺",
    "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牜", "⺨": "犭",
    "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "罓", "⺲": "罒",
    "⺳": "网", "⺴": "网", "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "耂", "⺺": "肀", "⺻": "肀", "⺼": "月",
    "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "阝",
    "⻑": "長", "⻒": "長", "⻓": "长", "⻔": "门", "⻕": "阝", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页",
    "⻛": "风", "⻜": "飞", "⻝": "食", "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿",
    "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
}
_COMPATIBILITY_BLOCKS = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table = {ord(k): v for k, v in RADICALS_SUPPLEMENT.items()}
    for low, high in _COMPATIBILITY_BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            mapped = unicodedata.normalize("NFKC", char)
            if mapped != char:
                table[code] = mapped
    return table


_COMPATIBILITY = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def unify(text: str) -> str:
    """`text` with radical forms and compatibility ideographs replaced by the ideographs they stand for."""
    return text.translate(_table()) if _COMPATIBILITY.search(text) else text


# characters used only in traditional writing, and their simplified forms (common words of the reports)
TRADITIONAL = "開國請處關務數報據項結總計與為機會門實發經業體廣辦議規確決況專區縣鄉時們這來個對從將進過還當東員問題學應現構見審條資訊電話網權營證書導萬費繼續轉訴訟維糾狀態標準險護產類檔級組織團衛環濟場農稅財負責貫徹領統籌習強設認識論訪調視頻傳聯絡線紙復議單屬補無難辭勞動"
SIMPLIFIED = "开国请处关务数报据项结总计与为机会门实发经业体广办议规确决况专区县乡时们这来个对从将进过还当东员问题学应现构见审条资讯电话网权营证书导万费继续转诉讼维纠状态标准险护产类档级组织团卫环济场农税财负责贯彻领统筹习强设认识论访调视频传联络线纸复议单属补无难辞劳动"
_TRADITIONAL = re.compile("[" + "".join(sorted(set(TRADITIONAL) - set(SIMPLIFIED))) + "]")
_SIMPLIFIED = re.compile("[" + "".join(sorted(set(SIMPLIFIED) - set(TRADITIONAL))) + "]")


def is_traditional(text: str) -> bool:
    """Mostly traditional characters: many of the common traditional-only ones, few simplified ones."""
    traditional = len(_TRADITIONAL.findall(text))
    simplified = len(_SIMPLIFIED.findall(text))
    return traditional >= 20 and traditional > 4 * simplified


def to_simplified(texts: list[str]) -> list[str]:
    """Traditional → simplified with OpenCC (imported here: only traditional text pays for it)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    if not any("\n" in t for t in texts):
        out = converter.convert("\n".join(texts)).split("\n")
        if len(out) == len(texts):
            return out
    return [converter.convert(t) if t else t for t in texts]


def normalise_text(text: str) -> str:
    """A whole text with compatibility characters unified and, when it is traditional, in simplified characters.

    (Text files are normalised before they are split into lines: section headings are found by their words.)
    """
    text = unify(text)
    return to_simplified([text])[0] if is_traditional(text) else text


def normalise(source: Source) -> Source:
    """The source with compatibility characters unified and, when it is traditional, in simplified characters."""
    cells = [cell for line in source.lines for cell in line.cells]
    texts = [unify(cell.text) for cell in cells]
    title = unify(source.title_hint)
    if is_traditional("".join(texts)):
        *texts, title = to_simplified([*texts, title])
    for cell, text in zip(cells, texts):
        cell.text = text
    for line in source.lines:
        line.__dict__.pop("text", None)     # (Line.text is worked out once)
    source.title_hint = title
    return source
