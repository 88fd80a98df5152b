"""The refusal rules, by family; app/answer/evidence/registry.py lists them in order."""
