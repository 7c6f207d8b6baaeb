"""The applications over the pipeline: the `Assistant` service, the CLI, presenting answers,
uploads, briefing exports and the evaluation harness."""
