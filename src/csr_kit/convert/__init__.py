"""Traditional ⇄ Simplified conversion: OpenCC with glossary phrase rules,
author markup, HTML text-node conversion and the review report."""
