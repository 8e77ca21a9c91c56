"""Limits on free text that people type, shared by the pages, the API and the services.

Without one, a 10 MB "feedback" was stored and shown back on every page that lists it.
Lesson bodies (rich text) are bounded only by the request size (DATA_UPLOAD_MAX_MEMORY_SIZE).
"""

FREE_TEXT_MAX_CHARS = 10_000  # grader feedback, override reasons, summaries, introductions, wording
