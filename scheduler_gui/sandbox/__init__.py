"""A faithful LearningStudio server (Starlette + SQLite) for the demo, tests and benchmarks.

Start it with ``schedctl sandbox`` or in-process::

    from scheduler_gui.sandbox.server import start_in_thread
    with start_in_thread() as sandbox:      # free loopback port, fresh in-memory data
        sandbox.url                         # "http://127.0.0.1:PORT"
        sandbox.set_faults("status429=2")   # grammar: scheduler_gui.sandbox.faults
        sandbox.touch(123456)               # someone else changes the course
        sandbox.advance_clock(3600)         # expire tokens, clocks, entry URLs

Seed facts (:mod:`.facts`): client string ``sandbox``, application ``sandbox-app`` /
``Sandbox``, moniker ``sandbox-moniker``, shared secret
``0123456789abcdef0123456789abcdef``; users admin, prof, ta, student, jdoe, rlee, prof2
(password = user name); courses 123456 DEMO-101 (67 items, America/Denver), 900000
BIG-900 (10,000 items), 234567 ART-210 (taught by prof2, jdoe enrolled).

Modules: ``app`` (routing), ``routes_*`` (one API area each), ``store`` (SQLite),
``seed``, ``auth`` (OAuth 2 and OAuth 1 CMAC-AES), ``faults``, ``server`` (uvicorn).
"""
