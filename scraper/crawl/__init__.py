"""Crawling: discovery, polite fetching, WARC capture, and the crawl loop; distributed over Celery workers by
tasks.py (worker side), distributed.py (coordinator), remote.py and archive_writer.py (the single writer)."""
