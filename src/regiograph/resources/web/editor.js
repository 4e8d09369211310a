/* regiograph serve: the SPARQL editor page.
 *
 * YASGUI (vendor/yasgui.min.js) edits and runs queries against this server's /sparql and
 * shows the results as tables. Everything stays on this server: prefix completion reads
 * /api/prefixes (not prefix.cc) and the class/property completers, which would ask
 * lov.linkeddata.es, are off. The saved queries are the examples: picking one asks
 * /api/queries/NAME for its text with the parameters bound as VALUES and opens it in a
 * new tab. Links to https://w3id.org/regiograph/id/... open this server's entity pages.
 *
 * URL parameters: ?example=NAME[&PARAM=VALUE...][&run=1] opens (and runs) a saved query;
 * ?tab=network opens the network view. For tests the page reports the rows of the last
 * result in #rg-status[data-rows] and JavaScript errors in #rg-errors.
 */
(function () {
  "use strict";
  var errors = document.getElementById("rg-errors");
  function report(text) {
    if (errors) errors.textContent += text + "\n";
  }
  window.addEventListener("error", function (e) { report(String(e.message || e)); });
  window.addEventListener("unhandledrejection", function (e) { report(String(e.reason)); });
  // The page may reach nothing but this server (Content-Security-Policy): report attempts.
  document.addEventListener("securitypolicyviolation", function (e) {
    report("blocked by the content security policy: " + e.violatedDirective + " " + e.blockedURI);
  });

  var ID_BASE = "https://w3id.org/regiograph/id/";
  var endpoint = window.location.origin + "/sparql";
  var data = JSON.parse(document.getElementById("rg-queries").textContent);
  var queries = data.queries;
  var prefixes = data.prefixes;
  var byName = {};
  queries.forEach(function (q) { byName[q.name] = q; });
  var message = document.getElementById("rg-message");
  var status = document.getElementById("rg-status");

  function say(text, isError) {
    message.textContent = text || "";
    message.className = "rg-message" + (isError ? " error" : "");
  }

  // ---------------------------------------------------------------- tabs of the page
  function showPanel(name) {
    document.querySelectorAll(".rg-tab").forEach(function (b) {
      b.classList.toggle("active", b.dataset.tab === name);
    });
    document.querySelectorAll(".rg-panel").forEach(function (p) {
      p.classList.toggle("active", p.id === "rg-" + name);
    });
    if (name === "network") {
      var frame = document.getElementById("rg-network-frame");
      if (!frame.getAttribute("src")) frame.setAttribute("src", frame.dataset.src);
    }
  }
  document.querySelectorAll(".rg-tab").forEach(function (b) {
    b.addEventListener("click", function () { showPanel(b.dataset.tab); });
  });
  var networkForm = document.getElementById("rg-network-form");
  networkForm.addEventListener("submit", function () {
    var params = new URLSearchParams(new FormData(networkForm));
    Array.from(params.keys()).forEach(function (k) {
      if (!params.getAll(k).some(function (v) { return v !== ""; })) params.delete(k);
    });
    document.getElementById("rg-network-open").href = "/network?" + params.toString();
  });

  // ---------------------------------------------------------------- YASGUI, offline
  if (typeof Yasgui === "undefined") {
    report("YASGUI did not load");
    return;
  }
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = window.location.origin + "/api/prefixes";
  var defaultQuery = [
    "PREFIX org: <http://www.w3.org/ns/org#>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
    "",
    "SELECT ?organisation ?label WHERE {",
    "  ?organisation a org:FormalOrganization ; skos:prefLabel ?label .",
    "}",
    "ORDER BY LCASE(?label)",
    "LIMIT 100",
  ].join("\n");
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
    },
    persistenceId: "regiograph-" + window.location.host,
    yasqe: { value: defaultQuery },
    yasr: { defaultPlugin: "table", prefixes: prefixes },
    autofocus: false,
  });

  // YASGUI announces a response before it draws it: count the rows just after.
  yasgui.on("queryResponse", function (instance, tab) {
    window.setTimeout(function () {
      var rows = "";
      try {
        var results = tab.getYasr().results;
        var bindings = results && results.getBindings ? results.getBindings() : null;
        if (bindings) rows = String(bindings.length);
        else if (results && results.hasError && results.hasError()) rows = "error";
      } catch (e) {
        report(String(e));
      }
      status.dataset.rows = rows;
      status.dataset.tab = tab.getName();
      status.textContent = /^\d+$/.test(rows) ? rows + " row(s)" : rows;
    }, 0);
  });

  // Links to regiograph IRIs open this server's entity pages.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    if (!a) return;
    var href = a.getAttribute("href");
    if (href && href.indexOf(ID_BASE) === 0) {
      e.preventDefault();
      window.open("/id/" + href.slice(ID_BASE.length), a.target || "_self");
    }
  }, true);

  // ---------------------------------------------------------------- saved queries
  var form = document.getElementById("rg-params");
  var fields = document.getElementById("rg-params-fields");
  var formTitle = document.getElementById("rg-params-title");

  function openQuery(name, values, run) {
    var url = "/api/queries/" + encodeURIComponent(name) + "?" + new URLSearchParams(values);
    say("Opening " + name + " ...");
    return fetch(url).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) {
        say(answer.data.error || "cannot open " + name, true);
        return null;
      }
      var tab = yasgui.addTab(true, {
        name: answer.data.title,
        yasqe: { value: answer.data.query },
        requestConfig: { endpoint: endpoint },
      }, { avoidDuplicateTabs: false });
      tab.setQuery(answer.data.query);
      say(answer.data.question || "");
      if (run) return tab.query();
      return null;
    }).catch(function (e) {
      say(String(e), true);
      report(String(e));
    });
  }

  function choose(name, run) {
    var q = byName[name];
    if (!q) {
      say("unknown saved query " + name, true);
      return;
    }
    document.querySelectorAll(".rg-example").forEach(function (b) {
      b.classList.toggle("active", b.dataset.name === name);
    });
    if (!q.params.length) {
      form.hidden = true;
      openQuery(name, {}, run);
      return;
    }
    formTitle.textContent = q.title;
    fields.textContent = "";
    q.params.forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + " (" + p.kind + ")";
      label.title = p.description;
      var input = document.createElement("input");
      input.name = p.name;
      input.value = p.default;
      input.placeholder = p.description;
      label.appendChild(input);
      fields.appendChild(label);
    });
    form.dataset.name = name;
    form.hidden = false;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = {};
    fields.querySelectorAll("input").forEach(function (i) { values[i.name] = i.value; });
    openQuery(form.dataset.name, values, true);
  });
  document.querySelectorAll(".rg-example").forEach(function (b) {
    b.addEventListener("click", function () { choose(b.dataset.name, true); });
  });

  // ---------------------------------------------------------------- URL parameters
  var params = new URLSearchParams(window.location.search);
  if (params.get("tab") === "network") showPanel("network");
  var example = params.get("example");
  if (example) {
    var values = {};
    params.forEach(function (v, k) {
      if (["example", "run", "tab"].indexOf(k) < 0) values[k] = v;
    });
    if (byName[example]) {
      choose(example, false);
      openQuery(example, values, params.get("run") === "1");
    } else {
      say("unknown saved query " + example, true);
    }
  }
})();
