"""Use cases: each a function that takes plain inputs and returns a result object.

They never print and never ask: questions and progress go through a `ui.UI`. The front-ends
(cli/, and later the web workbench and batch audits) call these and render what they return.

- tables:    init_year, validate_year, read_workbook
- importing: import_into (a published report into a workspace year)
- drafting:  generate, regenerate
- history:   history, undo
- checking:  check_draft, check_published
- audit:     audit (a folder of published reports: paired, compared, scored, summed), write_outputs
- exporting: export_draft
- chat:      ChatSession (proposals, apply, reject, undo/redo); conversation: ChatLoop
"""
