"""Scanned PDFs for tests and benchmarks: a PDF's pages as images only, as a scanner or “print to image” makes them."""

from __future__ import annotations

from pathlib import Path


def rasterise(source: Path, target: Path, dpi: int = 200, pages: list[int] | None = None,
              keep_text: tuple[int, ...] = ()) -> Path:
    """Write `target`: the (1-based) `pages` of `source` as grey page images with no text layer.

    Pages in `keep_text` are copied as they are (text and all): a report part printed, part scanned.
    """
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    for number in pages or range(1, len(src) + 1):
        if number in keep_text:
            out.import_pages(src, [number - 1])
            continue
        page = src[number - 1]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        new = out.new_page(width, height)
        image = pdfium.PdfImage.new(out)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        new.insert_obj(image)
        new.gen_content()
    out.save(str(target))
    return target
