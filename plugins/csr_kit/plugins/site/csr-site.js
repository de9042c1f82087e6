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
