"""Use cases: each a function that takes plain inputs and returns a result object.

They never print and never ask: questions and progress go through a `ui.UI`. The front-ends
(cli/, and later the web workbench and batch audits) call these and render what they return.

- tables:    init_year, start_year (last year carried over: carryover), validate_year, read_workbook
- importing: import_into (a published report into a workspace year)
- roundtrip: import_word_draft (an exported report edited in Word back into draft.md); wordfile: its prose and tables
- marks:     apply_fix (改为), record_in_notes (记入工作记录), ignore_finding (忽略 with a reason)
- drafting:  generate, regenerate
- history:   history, undo
- checking:  check_draft, check_published
- audit:     audit (a folder of published reports: paired, compared, scored, summed), write_outputs
- exporting: export_draft
- chat:      ChatSession (proposals, apply, reject, undo/redo); conversation: ChatLoop
"""
