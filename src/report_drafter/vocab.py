"""The words the code reads and writes prose with, as data, in one place.

Every entry that names a quantity is keyed by the fact keys `facts.compute_facts` produces
(tests/test_vocab.py proves that each key used here exists). Patterns are regular-expression
source strings; the modules that use them compile them once.
"""

from __future__ import annotations

# ---------- sentences and clauses ----------

SENTENCE_BREAKS = "。！？!?\n"          # where a sentence ends (“；” ends a clause, not a sentence)
CLAUSE_BREAKS = r"[，,；;：:、（）()]|其中|含"

# How far (characters) the linker looks back from a number for its sentence's subject, and how long
# a clause (before or after the number) may be: bounded windows keep checking linear in the length of
# the text. Real clauses are far shorter; only unpunctuated runs reach these bounds.
LINK_REACH = 300
CLAUSE_REACH = 120

# ---------- what a clause speaks of (the linker's topics) ----------

# topic → pattern; the match nearest before the number wins (on a tie, the earlier entry)
TOPICS = (
    ("appeals", r"(?:行政)?复议(?:和|及|与|、|或)(?:提起)?(?:行政)?诉讼"),
    ("review", r"行政复议(?:申请)?|复议(?:申请)?"),      # 行政复议申请 are appeals, not 信息公开申请
    ("litigation", r"行政诉讼|诉讼|起诉"),
    ("fee", r"信息处理费"),
    ("fees", r"行政事业性收费"),
    ("rules", r"规章(?!制度)"),
    ("normdocs", r"规范性文件"),
    ("licensing", r"行政许可"),
    ("punishment", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("request", r"申请|依申请"),
)
# Not the quantity the topic names: a list closed by 等 (“规章、文件、规范性文件等 243 件”), or a category
# of published information (“行政许可类信息 69 条”), after the last word that names a quantity.
AGGREGATE = r"等|类"
# Applications and appeals are counted in these units (“783 条” after 申请 is not an application count).
CASE_UNITS = frozenset({"件", "个", "起", "宗", "份", "人次", "次", "项"})

# ---------- attributes of an application (表三): fact key → words ----------

# Outcome words: a clause naming one of these speaks of applications even without “申请”.
# A reason (不掌握) together with its group (无法提供) may mean either the row or the group.
REQUEST_OUTCOMES = (
    ("disclosed_or_partly", r"予以公开(?:和|及|与|、|或)部分公开|(?:全部|完全)?公开(?:和|及|与|、)部分公开"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作"),
    ("unavailable_still_unclear", r"仍不明确"),
    ("not_processed_petitions", r"信访|举报|投诉"),
    ("not_processed_repeated", r"重复申请"),
    ("not_processed_publications", r"公开出版物"),
    ("not_processed_excessive", r"大量反复"),
    ("not_processed_confirmations", r"确认或重新出具"),
    ("withheld_state_secret", r"国家秘密"),
    ("withheld_prohibited_by_law", r"法律行政法规禁止"),
    ("withheld_security_stability", r"三安全一稳定"),
    ("withheld_third_party_rights", r"第三方"),
    ("withheld_internal_affairs", r"内部事务"),
    ("withheld_process_information", r"过程性"),
    ("withheld_enforcement_files", r"执法案卷"),
    ("withheld_query_matters", r"行政查询"),
    ("other_no_correction", r"逾期不补正"),
    ("other_fee_unpaid", r"缴纳费用"),
    ("partly_disclosed", r"部分公开"),
    ("withheld", r"不予公开|不公开"),
    ("unavailable", r"无法提供"),
    ("not_processed", r"不予处理"),
    ("other", r"其他处理|其他方式处理"),
    ("disclosed", r"予以公开|同意公开|全部公开"),
    ("carried_forward", (r"结转(?:到|至|入)?下(?:一)?年度?|转(?:入|至|到)?下(?:一)?年度?|顺延|结转下年"
                         r"|结转(?:到|至)\s*\d{4}\s*年")),
    ("carried_over", r"上(?:一)?年度?(?:结转|转结)|结转上年"),
)
# A reason closed by 等 (“因不掌握相关信息等原因无法提供 N 件”) names its whole group, not the reason's row.
REASONS_LIST_END = r"等(?:原因|情形|情况|理由)?"
# Applications counted by how they came in (“网络申请 1000 件”“当面提交申请 5 件”): a breakdown the tables do not have.
REQUEST_CHANNELS = r"(?:网络|网上|在线|书面|信函|邮寄|当面|现场|传真|电子邮件|邮件|电话)(?:方式)?(?:提交|提出|递交)?的?申请"
# Applicant types: key suffix → words. Facts new_<key> (本年新收) and received_<key> (新收 + 上年结转).
APPLICANT_WORDS = (
    ("natural", r"自然人|公民|个人(?=申请|提出)"),
    ("legal", r"法人|其他组织"),
    ("commercial", r"商业企业|企业"),
    ("research", r"科研机构"),
    ("public_interest", r"公益组织"),
    ("legal_services", r"法律服务机构|律师事务所"),
)
# Totals: words that say which total of applications a number is (they yield to an outcome word).
REQUEST_TOTALS = (
    ("handled", r"办结|答复|办理完毕|办理完成|已处理|处理完毕|作出[^，。；]{0,8}?处理|(?:共|累计|全年)办理(?!中)"),
    ("received_total", r"总量|总数|合计|共计"),
)
# The fallback when nothing more specific is said: “收到…申请 N 件”.
REQUEST_RECEIVED = (("new", r"新收|本年新增"), ("received", r"收到|受理|接收|接到|提出|申请(?!人)"))

# Words that fit more than one quantity: reading → the quantities it may state, most likely first.
# “共受理申请 X 件” counts this year's applications, or (as many reports write it) those plus last year's.
REQUEST_READINGS = {
    "received": ("new", "received_total"),
    "received_total": ("received_total", "new"),
}
# Whether a count of applications includes last year's: 上年结转 (REQUEST_OUTCOMES' carried_over words)
# stated after it with 含/包括/其中
# (“受理 X 件（含上年结转 Y 件）”) → included; stated as a figure of its own → not included.
INCLUSION = r"含|包括|其中"
# A part listed after 含/其中 (“规章 13 件（含新制定 5 件…）”) is not its whole: its list ends at one of these.
PARTS_END = r"[；;）)]|另有|另外|此外"

# ---------- 表四 ----------

# result column → words; fact keys are review_<column>, litigation_<column>, <group>_<column>, appeals_<column>
APPEAL_RESULTS = (
    ("upheld", r"维持"),
    ("corrected", r"纠正|纠错|败诉"),
    ("other", r"其他结果"),
    ("pending", r"尚未审结|未审结|审理中|正在审理|未结"),
    ("closed", r"(?<![未尚])(?:审结|结案)"),      # 已审结: every result but 尚未审结
)
APPEAL_TOTAL = "total"
LITIGATION_GROUPS = (
    ("litigation_direct", r"未经复议|直接(?:提起|起诉)"),
    ("litigation_after_review", r"复议后"),
)

# ---------- 表二 ----------

# document column → words, and the columns it may mean (2021 format first, then the 2019 trial format);
# fact keys are rules_<column>, normative_documents_<column>
DOCUMENT_COLUMNS = (
    ("repealed", r"废止|失效"),
    ("in_force", r"现行有效|有效"),
    ("issued", r"制发|制定|出台|印发|发布|新增|公开"),
)
DOCUMENT_COLUMN_READINGS = {"repealed": ("repealed",), "in_force": ("in_force", "total"),
                            "issued": ("issued", "made", "published")}
DOCUMENT_DEFAULT = "issued"
# columns whose words let a clause continue a sentence about documents (“规章 13 件，废止 4 件”); the
# words of 制发 (发布, 公开 …) are every clause's verbs (“发布政策解读信息 15 条”) and do not
DOCUMENT_INHERITED = ("repealed", "in_force")
# documents are counted in these units (“信息 473 条”“清理 4 次” are not counts of documents)
DOCUMENT_UNITS = frozenset({"件", "份", "个", "项"})
DOCUMENT_TOPICS = {"rules": "rules", "normdocs": "normative_documents"}
# Documents the table does not count: another body's (转发上级文件), printed or reprinted in a gazette or a
# collection, explained or put out for comment — a clause with one of these states no cell of 表二.
DOCUMENT_OUT_OF_SCOPE = r"转发|转载|刊登|刊发|刊载|登载|收录|汇编|公报|解读|征求意见"
# Documents reviewed (清理规范性文件 26 件) are not a column either, unless the clause names one (清理后现行有效 393 件).
DOCUMENT_REVIEWED = r"清理|审查|备案|评估"
DOCUMENT_NAMED_COLUMN = r"废止|失效|有效|制发|制定|出台|印发|新增"
DECISION_TOPICS = ("licensing", "punishment", "coercion")

# ---------- comparisons with last year, shares ----------

COMPARE = (r"同比|较上一?年度?|比上一?年度?|较去年|比去年|较\d{4}年度?|比\d{4}年度?|与上一?年度?相比|与去年相比")
CHANGE_VERBS = r"增长|增加|上升|提高|提升|增幅|多出|下降|减少|降低|回落|降幅|下滑"
DECREASE = r"下降|减少|降低|回落|降幅|下滑"
# “增长到 N 件” states this year's value, not the change
CHANGE_TO = r"(?:增长|增加|上升|提高|提升|下降|减少|降低|回落)(?:到|至)|增至|降至|达到"
PRIOR = r"(?:上一?年|去年)(?!度?(?:结转|转结))"
SHARE = r"占|比例|比重"
# the whole a share is taken of (“占办结总数的 59.54%”“占全部申请的比例”): names the denominator, not the quantity
SHARE_OF = r"占[^，,。；;：:]{0,12}?(?:的(?:比例|比重)?|比例|比重)|(?:比例|比重)(?:为|是|达)?"
# rates the prose names directly: fact key → words; they count as such only where the sentence speaks
# of applications, by a topic or an outcome word (a budget's “公开率100%” is not the rate of applications)
RATES = (("disclosure_rate", r"公开率"),)
RATE_TOPIC = "request"

COUNT_UNITS = frozenset({"件", "个", "起", "宗", "条", "次", "项", "份", "人次", "批"})

# ---------- 未/无/均 claims: pattern → facts that must all be zero ----------

# An appeal word followed by a result (“被行政复议纠错”“行政诉讼败诉”) claims the result, not the case.
_NO_RESULT = r"(?![^，。；]{0,2}(?:纠错|纠正|败诉|被纠))"
ZERO_CLAIMS = (
    ((r"(?:未|没有|无)[^，。；]{0,12}(?:收到|受理|接到|接收)[^，。；]{0,10}申请|无(?:依申请公开|政府信息公开申请)"
      r"|申请(?:数量)?为(?:0|零)"), ("new",)),
    ((rf"(?:未|没有|无)[^，。；]{{0,20}}(?:行政复议){_NO_RESULT}[^，。；]{{0,3}}(?:和|及|或|、)[^，。；]{{0,4}}"
      rf"行政诉讼{_NO_RESULT}|(?:未|没有|无)[^，。；]{{0,20}}复议[、和及或]诉讼{_NO_RESULT}"), ("review_total", "litigation_total")),
    (rf"(?:未|没有|无)[^，。；]{{0,20}}行政复议{_NO_RESULT}(?![^，。；]{{0,4}}(?:和|及|、)[^，。；]{{0,4}}诉讼)",
     ("review_total",)),
    (rf"(?:未|没有|无)[^，。；]{{0,20}}(?<!复议[和及、])行政诉讼{_NO_RESULT}", ("litigation_total",)),
    (r"(?:未|没有|不|无)[^，。；]{0,6}收取[^，。；]{0,16}(?:费|费用)", ("fee_amount",)),
    (r"(?:全部|均已|均)[^，。；]{0,6}?(?:办结|答复完毕|办理完毕|办理完成|处理完毕)|无结转", ("carried_forward",)),
)
# “未被纠错”“未发生…行政复议纠错或行政诉讼败诉”: the groups the claim names must have no such result
# (with no group named, neither may); fact keys are <group>_corrected.
NOT_CORRECTED = r"(?:无|未|没有)[^，。；]{0,24}?(?:被)?(?:纠错|纠正|败诉)|零(?:败诉|纠错|被纠错|被纠正)"
CORRECTED = "corrected"
ALL_UPHELD = r"均(?:获|被|予以)?维持|全部(?:获|被)?维持"
# the characters every claim above opens with (a sentence without one makes no claim: checked first, quickly)
CLAIM_OPENERS = "未没无申不全均零"
# groups a claim about results may speak of; an “all upheld” claim needs these results zero
CLAIM_GROUPS = (("review", r"复议"), ("litigation", r"诉讼|败诉"))
NOT_UPHELD = ("corrected", "other", "pending")

# ---------- labels prose and templates use for table rows ----------

OUTCOME_LABELS = (("disclosed", "予以公开"), ("partly_disclosed", "部分公开"), ("withheld", "不予公开"),
                  ("unavailable", "无法提供"), ("not_processed", "不予处理"), ("other", "其他处理"))
APPEAL_LABELS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))

# ---------- the topics a report covers (notes.md headings, 一's five aspects, 六's items) ----------

# key, heading in notes.md, section it feeds, hint shown in the notes skeleton
NOTE_TOPICS = (
    ("summary", "总述", "overview", "本年度工作的总体部署、领导重视情况等（可留空）"),
    ("active", "主动公开", "overview", "主动公开了哪些信息、多少条，通过哪些渠道；政策解读、新闻发布会等"),
    ("requests", "依申请公开", "overview", "依申请公开的制度、流程和办理情况（申请数量以统计表为准，可补充办理中的做法）"),
    ("management", "政府信息管理", "overview", "保密审查、公开属性认定、信息清理和目录维护等"),
    ("platforms", "政府信息公开平台建设", "overview", "政府网站、公开专栏、政务新媒体、公告栏等平台的建设和更新"),
    ("oversight", "监督保障", "overview", "组织领导、培训、考核、社会评议和责任追究等"),
    ("problems", "存在的主要问题", "problems", "本年度工作中具体存在的问题，写明涉及的栏目、渠道或环节，不要泛泛而谈"),
    ("improvements", "改进情况", "problems", "针对上年度问题已经做了什么，以及针对本年度问题的改进措施，逐条对应"),
    ("fees", "信息处理费", "other", "收取信息处理费的情况（金额以统计表为准，可补充说明）"),
    ("key_tasks", "落实上级年度政务公开工作要点情况", "other", "落实上级政务公开工作要点的情况；不适用可写“不适用”"),
    ("proposals", "人大代表建议和政协提案办理结果公开情况", "other", "建议提案办理结果的公开情况；没有承办任务可如实写明"),
    ("innovation", "年度政务公开工作创新情况", "other", "本年度政务公开工作的创新做法"),
)
# The tables count only 政府信息公开 work. A note speaks of the tables' own scope when it names it, or when it is
# written under a topic the tables count; a note naming other work (complaints, petitions, enforcement …) is a
# note about something else, used as written. Anything between is unclear: a warning, never a refusal.
NOTE_TABLE_SCOPE = r"政府信息公开|信息公开|依申请|公开申请|申请公开|主动公开|信息处理费|公开类"
NOTE_TABLE_TOPICS = ("requests", "fees")
NOTE_OTHER_MATTERS = r"消费者|信访件|信访事项|来信来访|来访|热线|12345|执法|市场监管|各类|申请事项|行政审批|审批事项|政务服务|办件"
NOTE_OTHER_MARK = "【其他工作】"          # what a clerk writes at the start of a note about other work
# Ordinals in agency names (第一中学 / 一中, 第十一师, 第十一分局): names whose ordinals differ name different bodies,
# however alike the rest. A numeral counts as an ordinal after 第, or before one of these institution words.
AGENCY_NUMERAL = r"[〇零一二三四五六七八九十百两0-9０-９]+"
AGENCY_ORDINAL_BEFORE = ("中学", "中", "小学", "小", "师", "团", "分局", "支队", "大队", "中队", "派出所", "医院", "人民医院",
                         "研究所", "监狱", "看守所", "法庭", "工区", "分院", "幼儿园", "职业中专", "中专", "高中")
# other headings clerks write for a topic
NOTE_HEADING_ALIASES = {"改进措施": "improvements", "问题": "problems", "存在问题": "problems", "概述": "summary",
                        "平台建设": "platforms", "政府信息公开平台": "platforms", "信息管理": "management",
                        "主动公开情况": "active", "依申请公开情况": "requests", "信息处理费情况": "fees"}

# 一's five aspects: note topic key, name, pattern of a sub-heading, pattern anywhere in the text
OVERVIEW_ASPECTS = (
    ("active", "主动公开", r"主动公开", r"主动公开"),
    ("requests", "依申请公开", r"依申请|申请公开", r"依申请|公开申请"),
    ("management", "政府信息管理", r"信息管理", r"信息管理|保密审查|公开属性|发布审核"),
    ("platforms", "政府信息公开平台建设", r"平台", r"平台|网站|新媒体|专栏"),
    ("oversight", "监督保障", r"监督|保障|考核", r"监督|考核|评议|责任追究"),
)
# 六's items since the 2021 format: note topic key, name, pattern
OTHER_ITEMS = (
    ("key_tasks", "落实上级年度政务公开工作要点情况", r"要点"),
    ("proposals", "人大代表建议和政协提案办理结果公开情况", r"人大代表建议|政协提案|建议提案|建议和提案"),
    ("innovation", "年度政务公开工作创新情况", r"创新"),
)

# ---------- which section a plain-language chat request is about ----------

# explicit names of a section win over topical words
ROUTE_EXPLICIT = (
    ("overview", r"第一部分|第1部分|一、|总体情况"),
    ("problems", r"第五部分|第5部分|五、|存在的主要问题|问题|改进|整改"),
    ("other", r"第六部分|第6部分|六、|其他需要报告|其他事项|信息处理费|人大|政协|提案"),
)
ROUTE_TOPICAL = (
    ("overview", r"主动公开|依申请|信息管理|平台|网站|新媒体|监督|保障|培训|考核|总述|开头"),
    ("other", r"创新|工作要点|收费"),
)
ROUTE_ALL = r"全文|整篇|通篇|全部|各部分|每一部分|每个部分"

# ---------- review defaults (drafter.toml [check] may replace them) ----------

PROMOTIONAL_PHRASES = ("取得了显著成效", "取得显著成效", "成效显著", "圆满完成", "成绩斐然", "硕果累累", "亮点纷呈",
                       "再创新高", "走在前列", "满意答卷", "迈上新台阶", "开创新局面", "谱写", "新篇章", "蹄疾步稳",
                       "出新出彩", "金字招牌", "一致好评", "广泛好评", "高度评价", "有口皆碑", "交口称赞")
ALLOWED_ENGLISH = ("APP", "PC", "PDF", "OFD", "WPS", "OA", "H5", "ID", "IP", "IPv6", "AI", "VR", "QQ", "CA")

# ---------- departments: short name → pattern of the ways agency names write it ----------

DEPARTMENTS = {
    "发展改革": r"发展(?:和)?改革|发改", "教育": r"教育(?:体育)?", "科技": r"科学技术|科技", "民政": r"(?<!人)民政",
    "工信": r"工业(?:和)?信息化|工信|经济(?:和)?信息化|经信", "公安": r"公安", "司法": r"司法", "财政": r"财政",
    "人社": r"人力资源(?:和)?社会保障|人社", "自然资源": r"自然资源(?:和规划)?|规划(?:和)?自然资源|国土资源",
    "生态环境": r"生态环境|环境保护|环保", "住建": r"住房(?:和)?城乡建设|住建", "交通": r"交通运输|交通",
    "水利": r"水利|水务", "农业": r"农业农村|农业", "商务": r"商务", "文旅": r"文化(?:广电)?(?:和)?旅游|文旅|文化广电",
    "卫健": r"卫生健康|卫健", "退役军人": r"退役军人(?:事务)?", "应急": r"应急管理|应急", "审计": r"审计",
    "市场监管": r"市场监督管理|市场监管", "统计": r"统计", "医保": r"医疗保障|医保", "林业": r"林业(?:和草原)?",
    "体育": r"体育", "信访": r"信访", "城管": r"城市管理(?:综合行政执法)?|城管", "数据": r"政务服务和大数据管理|大数据",
    "人防": r"人民防空|人防", "国资": r"国有资产监督管理|国资", "税务": r"税务", "气象": r"气象",
    "粮食": r"粮食(?:和物资储备)?", "乡村振兴": r"乡村振兴", "行政审批": r"行政审批(?:服务)?", "民宗": r"民族(?:和)?宗教(?:事务)?",
}

# ---------- numbers in prose that are not statistics: reason code → why (drafter check -v lists them) ----------

SKIP_REASONS = {
    "date": "年份、日期、时间或时段，不是统计数",
    "citation": "法规条款或届次引用（第X条、第X项等）",
    "ordinal": "序数词（第一、第七次等）",
    "enumeration": "序号或列举标记（一是、（一）、1.等）",
    "doc_number": "文号、令号或编号",
    "phone": "电话号码或服务热线号码",
    "postcode": "邮政编码",
    "address": "地址中的门牌号等",
    "url": "网址或电子邮箱",
    "code": "字母数字混合的编码（如索引号）",
    "title": "书名号内的文件或书刊名称",
    "quoted": "引号内的口号、提法或名称",
    "idiom": "含数字的固定提法或常用词语",
    "word": "汉字数字是词语的一部分，未带计量单位",
    "vague": "概数词，没有具体数值",
    "page_number": "页码",
    "placeholder": "待补充的占位文字中的数字",
}
