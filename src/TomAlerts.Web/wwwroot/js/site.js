// TomAlerts page behaviour. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
    "use strict";

    // Results page: the select-all box follows the row boxes and sets them all.
    const selectAll = document.getElementById("select-all");
    if (selectAll) {
        const boxes = () => Array.from(document.querySelectorAll("input.alert-box"));
        selectAll.addEventListener("change", () => boxes().forEach(b => { b.checked = selectAll.checked; }));
        document.addEventListener("change", e => {
            if (e.target.classList && e.target.classList.contains("alert-box")) {
                const all = boxes();
                selectAll.checked = all.length > 0 && all.every(b => b.checked);
                selectAll.indeterminate = !selectAll.checked && all.some(b => b.checked);
            }
        });
    }

    const pageSize = document.getElementById("page-size");
    if (pageSize) {
        pageSize.addEventListener("change", () => {
            window.location.href = pageSize.dataset.url.replace("pageSize=0", "pageSize=" + encodeURIComponent(pageSize.value));
        });
    }

    // A running query: poll its status and reload when it ends.
    const status = document.getElementById("run-status");
    if (status && status.dataset.finished === "false") {
        const progress = document.getElementById("run-progress");
        const poll = async () => {
            try {
                const response = await fetch("/alerts/run/" + status.dataset.runId + "/status", { headers: { "Accept": "application/json" } });
                if (response.ok) {
                    const run = await response.json();
                    if (run.finished) {
                        window.location.reload();
                        return;
                    }
                    if (progress) {
                        progress.textContent = (run.status === "pending" ? "Waiting to start… " : "Running: " + run.alertCount + (run.alertCount === 1 ? " alert" : " alerts") + " so far. ") + (run.progress || "");
                    }
                }
            } catch (e) {
                // The next poll tries again.
            }
            window.setTimeout(poll, 1000);
        };
        window.setTimeout(poll, 700);
    }

    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(el => {
        if (window.bootstrap) { new window.bootstrap.Tooltip(el); }
    });
})();
