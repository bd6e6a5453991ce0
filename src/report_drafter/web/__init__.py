"""The browser workbench (`drafter serve`): the whole job in a local web page, on the same engine as the CLI.

    from report_drafter.web.app import create_app      # imports fastapi; the CLI does so only in `serve`

- app:       the FastAPI application and its error pages
- security:  hosts, access token, cross-site checks, body limits, paths (one ASGI middleware)
- site:      what the routes share (workspace, templates, jobs, proposals)
- years:     one year's files as the panes show them, and the edits made to them (version-checked)
- grids:     the statistics tables as editable grids in the official layout
- draftview: the draft rendered like the printed report, with every checked number marked
- jobs:      model drafting in the background, streamed as server-sent events, cancellable
- uploads:   imported reports parsed as untrusted input in a limited child process
- routes/:   one module per pane
"""
