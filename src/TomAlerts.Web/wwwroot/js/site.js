// TomAlerts page behaviour. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
    "use strict";

    // Results and target pages: the select-all box follows the row boxes (data-boxes, else the alerts') and sets them all.
    const selectAll = document.getElementById("select-all");
    if (selectAll) {
        const selector = selectAll.dataset.boxes || "input.alert-box";
        const boxes = () => Array.from(document.querySelectorAll(selector));
        selectAll.addEventListener("change", () => boxes().forEach(b => { b.checked = selectAll.checked; }));
        document.addEventListener("change", e => {
            if (e.target.matches && e.target.matches(selector)) {
                const all = boxes();
                selectAll.checked = all.length > 0 && all.every(b => b.checked);
                selectAll.indeterminate = !selectAll.checked && all.some(b => b.checked);
            }
        });
    }

    // A form with data-confirm asks before it is sent (deleting a list, say).
    document.addEventListener("submit", e => {
        const message = e.target.dataset && e.target.dataset.confirm;
        if (message && !window.confirm(message)) {
            e.preventDefault();
        }
    });

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

    // An open stream run: every 3 s, ask for the alerts after the last one shown, append them to the table (when it shows
    // the run's end in arrival order) and update the counts; the first alerts of an empty run, or its closing, reload the page.
    const live = document.getElementById("stream-live");
    if (live) {
        let after = parseInt(live.dataset.after, 10);
        let shown = parseInt(live.dataset.shown, 10);
        const table = document.getElementById("alerts-table");
        const body = table ? table.querySelector("tbody") : null;
        const listening = document.getElementById("stream-listening");
        const count = document.getElementById("stream-alert-count");
        const text = v => (v === null || v === undefined) ? "" : String(v);
        const fixed = (v, digits) => (typeof v === "number") ? v.toFixed(digits) : "—";
        const when = v => v ? String(v).replace("T", " ").replace("Z", "").slice(0, 16) : "—";
        const cell = (content, cls) => {
            const td = document.createElement("td");
            if (cls) { td.className = cls; }
            if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content; }
            return td;
        };
        const decideButton = (runId, id, value, title, cls) => {
            const b = document.createElement("button");
            b.type = "submit";
            b.setAttribute("form", "decide-form");
            b.setAttribute("formaction", "/alerts/run/" + runId + "/decision?alertId=" + id);
            b.name = "decision";
            b.value = value;
            b.className = "btn btn-sm py-0 px-1 " + cls;
            b.title = title;
            b.textContent = value === "interesting" ? "i" : "r";
            return b;
        };
        const row = (runId, a) => {
            const id = encodeURIComponent(a.alertId);
            const tr = document.createElement("tr");
            tr.className = "alert-row live-row";
            tr.dataset.alertId = a.alertId;
            tr.dataset.detailsUrl = "/alerts/run/" + runId + "/alerts/" + id + "/details?partial=1";
            tr.dataset.decideUrl = "/alerts/run/" + runId + "/decision?alertId=" + id;
            const box = document.createElement("input");
            box.type = "checkbox"; box.className = "form-check-input alert-box"; box.name = "alerts"; box.value = a.alertId;
            box.setAttribute("form", "create-targets-form");
            box.setAttribute("aria-label", "Select " + text(a.name));
            const name = document.createElement("div");
            name.textContent = text(a.name);
            const details = document.createElement("a");
            details.className = "small details-link"; details.href = "/alerts/run/" + runId + "/alerts/" + id + "/details"; details.textContent = "details";
            name.appendChild(document.createElement("br"));
            name.appendChild(details);
            const decision = document.createElement("span");
            decision.className = "decision-buttons";
            decision.appendChild(decideButton(runId, id, "interesting", "Interesting (i)", "btn-outline-success decide-interesting"));
            decision.appendChild(decideButton(runId, id, "rejected", "Rejected (r)", "btn-outline-secondary decide-rejected"));
            const state = document.createElement("span");
            state.className = "decision-state";
            const decisionCell = document.createElement("span");
            decisionCell.appendChild(state);
            decisionCell.appendChild(decision);
            const isNew = document.createElement("span");
            if (a.isNew) { isNew.className = "badge text-bg-info ms-1 new-badge"; isNew.textContent = "NEW"; }
            // The same columns, hidden on the same screens, as the rows the page came with.
            [cell(box), cell(a.timestamp ? when(a.timestamp) : "", "d-none d-md-table-cell"), cell(name), cell(fixed(a.ra, 5), "num"), cell(fixed(a.dec, 5), "num"),
                cell(fixed(a.mag, 3) + (a.band && typeof a.mag === "number" ? " " + a.band : ""), "num last-mag"),
                cell(when(a.firstDetection), "text-nowrap small d-none d-lg-table-cell"), cell(when(a.lastDetection), "text-nowrap small d-none d-md-table-cell"),
                cell(a.detections === null ? "—" : text(a.detections), "num d-none d-lg-table-cell"), cell(fixed(a.score, 3), "num d-none d-md-table-cell"),
                cell(text(a.classification), "d-none d-sm-table-cell"), cell(decisionCell, "decision text-nowrap"), cell(isNew), cell("")].forEach(td => tr.appendChild(td));
            return tr;
        };
        const poll = async () => {
            try {
                const response = await fetch(live.dataset.liveUrl + "?after=" + after, { headers: { "Accept": "application/json" } });
                if (response.ok) {
                    const run = await response.json();
                    if (run.finished || (shown === 0 && run.alerts.length > 0)) {
                        window.location.reload();
                        return;
                    }
                    if (listening && run.listening) { listening.textContent = run.listening; }
                    if (count) { count.textContent = run.alertCount === 1 ? "1 alert" : run.alertCount + " alerts"; }
                    run.alerts.forEach(a => {
                        after = Math.max(after, a.position);
                        if (body && live.dataset.append === "true" && !body.querySelector("tr[data-alert-id=\"" + CSS.escape(a.alertId) + "\"]")) {
                            body.appendChild(row(run.id, a));
                            shown++;
                        }
                    });
                }
            } catch (e) {
                // The next poll tries again.
            }
            window.setTimeout(poll, 3000);
        };
        window.setTimeout(poll, 3000);
    }

    // Results page: keyboard triage. j/k move, i/r decide (the same key again clears), s shows the panel, c ticks, ? helps.
    const table = document.getElementById("alerts-table");
    const decideForm = document.getElementById("decide-form");
    if (table && decideForm) {
        const rows = () => Array.from(table.querySelectorAll("tbody tr.alert-row"));
        const panel = document.getElementById("alert-panel");
        const panelBody = document.getElementById("alert-panel-body");
        const panelTitle = document.getElementById("alert-panel-title");
        const help = document.getElementById("key-help");
        const helpToggle = document.getElementById("key-help-toggle");
        const token = decideForm.querySelector("input[name=__RequestVerificationToken]").value;
        let current = -1;

        const select = index => {
            const all = rows();
            if (all.length === 0) { return; }
            current = Math.max(0, Math.min(all.length - 1, index));
            all.forEach((row, i) => {
                row.classList.toggle("current-row", i === current);
                row.setAttribute("aria-current", i === current ? "true" : "false");
            });
            all[current].scrollIntoView({ block: "nearest" });
            if (panel && !panel.hidden) { showPanel(all[current]); }
        };

        const renderDecision = (row, decision) => {
            row.dataset.decision = decision.decision || "";
            row.classList.remove("decided-interesting", "decided-rejected");
            const state = row.querySelector(".decision-state");
            state.textContent = "";
            if (decision.decision) {
                row.classList.add("decided-" + decision.decision);
                const badge = document.createElement("span");
                badge.className = "badge decision-name " + (decision.decision === "rejected" ? "text-bg-secondary" : "text-bg-success");
                badge.textContent = decision.decision;
                const by = document.createElement("span");
                by.className = "small text-muted decided-by";
                by.textContent = " " + (decision.decidedBy || "someone") + " · " + String(decision.decidedAt).replace("T", " ").substring(0, 16) + " UTC";
                state.append(badge, by);
            }
            ["interesting", "rejected"].forEach(name => {
                const button = row.querySelector(".decide-" + name);
                if (button) {
                    const on = decision.decision === name;
                    button.value = on ? "" : name;
                    const solid = name === "interesting" ? "btn-success" : "btn-secondary";
                    button.classList.toggle(solid, on);
                    button.classList.toggle(name === "interesting" ? "btn-outline-success" : "btn-outline-secondary", !on);
                }
            });
        };

        const decide = async (row, decision) => {
            const value = row.dataset.decision === decision ? "" : decision;
            const body = new URLSearchParams({ decision: value });
            try {
                const response = await fetch(row.dataset.decideUrl, {
                    method: "POST",
                    headers: { "Accept": "application/json", "RequestVerificationToken": token, "Content-Type": "application/x-www-form-urlencoded" },
                    body: body,
                    credentials: "same-origin",
                });
                if (response.ok) {
                    renderDecision(row, await response.json());
                } else {
                    row.querySelector(".decision-state").textContent = "not saved (" + response.status + ")";
                }
            } catch (e) {
                row.querySelector(".decision-state").textContent = "not saved: the portal did not answer";
            }
        };

        const showPanel = async row => {
            panel.hidden = false;
            panel.dataset.alertId = row.dataset.alertId;
            panelTitle.textContent = row.dataset.alertId;
            panelBody.textContent = "Loading…";
            try {
                const response = await fetch(row.dataset.detailsUrl, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
                if (panel.dataset.alertId !== row.dataset.alertId) { return; }
                if (response.ok) {
                    panelBody.innerHTML = await response.text(); // the portal's own HTML-encoded partial
                } else {
                    panelBody.textContent = "The details could not be loaded (" + response.status + ").";
                }
            } catch (e) {
                panelBody.textContent = "The details could not be loaded: the portal did not answer.";
            }
        };

        const togglePanel = () => {
            const all = rows();
            if (!panel || current < 0 || current >= all.length) { return; }
            if (!panel.hidden && panel.dataset.alertId === all[current].dataset.alertId) {
                panel.hidden = true;
            } else {
                showPanel(all[current]);
            }
        };

        const toggleHelp = () => {
            help.hidden = !help.hidden;
            if (helpToggle) { helpToggle.setAttribute("aria-expanded", help.hidden ? "false" : "true"); }
        };
        if (helpToggle) { helpToggle.addEventListener("click", toggleHelp); }
        const close = document.getElementById("alert-panel-close");
        if (close) { close.addEventListener("click", () => { panel.hidden = true; }); }

        // Decision buttons save in place; without script they post the form and come back.
        table.addEventListener("click", e => {
            const button = e.target.closest("button[form=decide-form]");
            if (button) {
                e.preventDefault();
                const row = button.closest("tr.alert-row");
                select(rows().indexOf(row));
                decide(row, button.classList.contains("decide-interesting") ? "interesting" : "rejected");
                return;
            }
            const details = e.target.closest("a.details-link");
            if (details && panel) {
                e.preventDefault();
                const row = details.closest("tr.alert-row");
                select(rows().indexOf(row));
                showPanel(row);
            }
        });

        document.addEventListener("keydown", e => {
            if (e.ctrlKey || e.metaKey || e.altKey) { return; }
            const target = e.target;
            if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) { return; }
            const all = rows();
            const row = current >= 0 && current < all.length ? all[current] : null;
            switch (e.key) {
                case "j": select(current + 1); break;
                case "k": select(current < 0 ? 0 : current - 1); break;
                case "i": if (row) { decide(row, "interesting"); } break;
                case "r": if (row) { decide(row, "rejected"); } break;
                case "s": togglePanel(); break;
                case "c":
                    if (row) {
                        const box = row.querySelector("input.alert-box");
                        box.checked = !box.checked;
                        box.dispatchEvent(new Event("change", { bubbles: true }));
                    }
                    break;
                case "?": toggleHelp(); break;
                case "Escape": if (panel) { panel.hidden = true; } break;
                default: return;
            }
            e.preventDefault();
        });
    }

    // Copy buttons beside code (the curl commands): shown only where the browser lets the page write to the clipboard.
    document.querySelectorAll("button.copy-button[data-copy]").forEach(button => {
        const code = button.closest(".code-box") && button.closest(".code-box").querySelector(button.dataset.copy);
        if (!code || !navigator.clipboard) { return; }
        button.hidden = false;
        button.addEventListener("click", async () => {
            try {
                await navigator.clipboard.writeText(code.textContent);
                button.textContent = "Copied";
            } catch (e) {
                button.textContent = "Select and copy";
            }
            window.setTimeout(() => { button.textContent = "Copy"; }, 2000);
        });
    });

    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(el => {
        if (window.bootstrap) { new window.bootstrap.Tooltip(el); }
    });
})();

// Results page: last magnitudes the broker's listing lacks, asked for two rows at a time once the page has loaded.
(() => {
    const cells = Array.from(document.querySelectorAll("td[data-describe-url]"));
    const next = async () => {
        const cell = cells.shift();
        if (!cell) { return; }
        try {
            const response = await fetch(cell.dataset.describeUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
            const answer = response.ok ? await response.json() : null;
            cell.textContent = answer ? answer.lastMagnitude : "—";
            cell.title = answer && answer.problem ? answer.problem : "";
        } catch {
            cell.textContent = "—";
            cell.title = "The portal did not answer.";
        }
        await next();
    };
    next();
    next();
})();

