"""Crawling on one machine: discovery, polite fetching, WARC capture and the crawl loop. The distributed crawl
(scraper/distributed/) runs this package's site crawler on Celery workers; nothing here imports it."""
