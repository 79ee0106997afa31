"""The site plan: which pages and files a build writes, independent of any site engine."""
