"""Database helpers every domain uses: Django, but no domain's models."""
