"""The one pipeline: a stored message through parse, thread, triage, route, and (for live
mail) acknowledgement. Every door calls ``handoff.pipeline.process.process``."""
