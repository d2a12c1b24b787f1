"""The training planner: pure Python, no Django inside (see model.py). The adapter that
reads and writes the ORM lives in tremplin/planning/plan_adapter.py."""
