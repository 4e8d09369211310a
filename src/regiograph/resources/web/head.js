window.rgErrors = [];
function rgShowErrors() {
  var box = document.getElementById("rg-errors");
  if (box) box.textContent = window.rgErrors.join("\n");
}
window.addEventListener("error", function (e) {
  window.rgErrors.push(String(e.message) + " (line " + (e.lineno || 0) + ")"); rgShowErrors();
});
window.addEventListener("unhandledrejection", function (e) {
  window.rgErrors.push("unhandled rejection: " + String(e.reason)); rgShowErrors();
});
