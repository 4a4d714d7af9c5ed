"""The distributed crawl: Celery workers crawling sites with the single-machine site crawler (`scraper.crawl`),
one writer process owning the archive, a coordinator behind `warta crawl --broker`. This package imports
`scraper.crawl`; `scraper.crawl` never imports it."""
