(function () {
  "use strict";
  // vis-network 9 shows a string title as plain text; ours is HTML in which regiograph
  // escaped all document text, so render the one tooltip that opens (not all at load).
  network.on("showPopup", function (id) {
    var item = nodes.get(id) || edges.get(id);
    var tip = document.querySelector("#mynetwork div.vis-tooltip");
    if (!item || !tip || typeof item.title !== "string") return;
    tip.innerHTML = item.title;
    var room = tip.parentNode.clientWidth, floor = tip.parentNode.clientHeight;
    if (tip.offsetLeft + tip.offsetWidth > room) {
      tip.style.left = Math.max(0, room - tip.offsetWidth - 4) + "px";
    }
    if (tip.offsetTop + tip.offsetHeight > floor) {
      tip.style.top = Math.max(0, floor - tip.offsetHeight - 4) + "px";
    }
  });
  network.once("afterDrawing", function () {  // read by the browser test and the benchmark
    var drawn = Object.keys(network.body.nodes).length;
    document.getElementById("rg-node-count").textContent = String(drawn);
    document.body.setAttribute("data-rg-drawn-ms", String(Math.round(performance.now())));
  });
  network.redraw();  // the first drawing may have happened inside the constructor
  function checked(cls) {
    var values = new Set();
    document.querySelectorAll("input." + cls).forEach(function (b) { if (b.checked) values.add(b.value); });
    return values;
  }
  function applyFilters() {
    var types = checked("rg-type"), provinces = checked("rg-province"), hidden = new Set();
    var nodeUpdates = [], edgeUpdates = [], shown = 0;
    nodes.forEach(function (n) {
      var own = n.rgProvinces || [];
      var inPlace = own.length ? own.some(function (p) { return provinces.has(p); }) : provinces.has("");
      var show = types.has(n.rgType) && inPlace;
      if (show) shown += 1; else hidden.add(n.id);
      if (Boolean(n.hidden) === show) nodeUpdates.push({id: n.id, hidden: !show});
    });
    nodes.update(nodeUpdates);
    edges.forEach(function (e) {
      var hide = hidden.has(e.from) || hidden.has(e.to);
      if (Boolean(e.hidden) !== hide) edgeUpdates.push({id: e.id, hidden: hide});
    });
    edges.update(edgeUpdates);
    document.getElementById("rg-visible-count").textContent = String(shown);
  }
  document.querySelectorAll("input.rg-type, input.rg-province").forEach(function (b) {
    b.addEventListener("change", applyFilters);
  });
  var box = document.getElementById("rg-search"), timer = null;
  var result = document.getElementById("rg-search-result");
  function search() {
    var query = box.value.trim().toLowerCase(), found = [];
    if (!query) { network.unselectAll(); result.textContent = ""; return; }
    nodes.forEach(function (n) {
      if (!n.hidden && String(n.label).toLowerCase().indexOf(query) !== -1) found.push(n.id);
    });
    network.selectNodes(found, false);
    result.textContent = found.length === 1 ? "1 match" : found.length + " matches";
    if (found.length) network.focus(found[0], {scale: Math.max(network.getScale(), 1), animation: {duration: 400}});
  }
  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 250); });
  box.addEventListener("keydown", function (e) { if (e.key === "Enter") { clearTimeout(timer); search(); } });
  rgShowErrors();
})();
