"""Session reports: Markdown for the terminal, self-contained HTML for the browser."""
