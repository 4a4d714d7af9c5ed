"""Crawling: discovery, polite fetching, WARC capture, and the crawl loop."""
