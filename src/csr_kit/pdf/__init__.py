"""The PDF edition: the site's pages assembled into one print document, rendered by WeasyPrint."""
