"""A faithful LearningStudio server (Starlette + SQLite) for the demo, tests and benchmarks."""
