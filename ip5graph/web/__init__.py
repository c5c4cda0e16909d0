"""The HTML side: layout, pages, timeline and the offline site, with templates/ and vendor/."""
