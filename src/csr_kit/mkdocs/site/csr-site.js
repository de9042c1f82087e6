// csr-kit: keep the reader's place when switching script. Both scripts share heading
// ids (made from the source text), so the section's #anchor is valid on the other page.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[hreflang]");
  if (link && window.location.hash && !link.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter") return;
  var link = event.target.closest && event.target.closest("a[hreflang]");
  if (link && window.location.hash && !link.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});

// Material wraps a plain table (the glossary's) in a box that scrolls sideways on a phone;
// keyboard users can scroll it only if it can take the focus, and screen readers need
// its name.
function csrFocusableTableScrolls() {
  document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box) {
    var heading = document.querySelector("article h1");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    if (heading) box.setAttribute("aria-label", heading.textContent.trim());
  });
}
if (window.document$ && window.document$.subscribe) {
  window.document$.subscribe(csrFocusableTableScrolls);
} else {
  window.addEventListener("load", csrFocusableTableScrolls);
}

// A glossary term near the right edge of the text opens its tooltip leftwards (the
// stylesheet's csr-term--end), so the tooltip stays over the text and inside the page.
document.addEventListener("mouseover", function (event) {
  var term = event.target.closest && event.target.closest("abbr.csr-term");
  if (!term) return;
  var box = term.getBoundingClientRect();
  var room = Math.min(18 * parseFloat(getComputedStyle(document.documentElement).fontSize),
                      0.8 * window.innerWidth);
  var text = term.closest("article") || document.documentElement;
  var edge = Math.min(text.getBoundingClientRect().right, document.documentElement.clientWidth);
  term.classList.toggle("csr-term--end", box.left + room > edge);
});
