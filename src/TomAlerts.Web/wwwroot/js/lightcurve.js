// Draws a target's light curve: colour is the survey and band ("LSST g" and "ZTF g" apart), marker shape the broker the
// point came from (filled for detections, open for forced points; limits stay downward triangles), with a legend for both
// even when there is one band. It switches between a magnitude axis (inverted: detections with error bars) and a flux axis
// in nJy (negative fluxes where they are, limits at the limit's flux), and between dates and MJD on the time axis.
// Hover labels show the values as the server rounded them to the precision their errors give. The points are read from
// the target's light-curve address once the page is shown; if they cannot be read, the plot says why.
(function () {
    "use strict";
    const element = document.getElementById("lightcurve");
    if (!element || !window.Plotly) {
        return;
    }
    let series = [];
    // LSST: Rubin's filter colours for a white background (u g r i z y); ZTF: its own g r i hues, so both surveys' g
    // (or r, i) can be told apart; Gaia G, ATLAS o and c as they are usually drawn.
    const palette = {
        "LSST:u": "#1600ea", "LSST:g": "#31de1f", "LSST:r": "#b52626", "LSST:i": "#370201", "LSST:z": "#ba52ff", "LSST:y": "#61a2b3",
        "ZTF:g": "#117733", "ZTF:r": "#ee7733", "ZTF:i": "#ddaa33",
        "Gaia:G": "#1f77b4", "ATLAS:o": "#ff7f0e", "ATLAS:c": "#17becf",
    };
    // Rows without a survey (stored before surveys were) take the colour of the survey their band most likely is.
    const bandOnly = { u: "LSST:u", g: "ZTF:g", r: "ZTF:r", i: "ZTF:i", z: "LSST:z", y: "LSST:y", G: "Gaia:G", o: "ATLAS:o", c: "ATLAS:c" };
    const fallback = ["#9467bd", "#e377c2", "#7f7f7f", "#bcbd22", "#8c564b", "#17becf"];

    // On a dark page the near-black LSST i would vanish: a light red-brown instead.
    const darkPalette = { "LSST:i": "#d98c84" };
    const isDark = () => document.documentElement.getAttribute("data-bs-theme") === "dark";

    function colourOf(s, index) {
        const key = (s.survey || "") + ":" + s.band;
        if (isDark() && darkPalette[key]) {
            return darkPalette[key];
        }
        return palette[(s.survey || "") + ":" + s.band] || (!s.survey && palette[bandOnly[s.band]]) || fallback[index % fallback.length];
    }

    // One shape per broker, in the order of the brokers' names, so a broker keeps its shape on every target it is on
    // with the same others; "-open" variants draw forced points.
    const shapes = ["circle", "square", "diamond", "cross", "star", "hexagon", "pentagon", "hourglass", "x", "star-triangle-up"];
    let brokers = [];
    const shapeOf = b => shapes[Math.max(0, brokers.indexOf(b)) % shapes.length];

    function trace(s, name, points, value, error, colour, marker, symbol, time, axis) {
        const shown = points.filter(p => value(p) !== null && value(p) !== undefined);
        if (shown.length === 0) {
            return null;
        }
        const t = {
            name: name,
            legendgroup: s.survey + " " + s.band,
            type: "scatter",
            mode: "markers",
            x: shown.map(p => (time === "mjd" ? p.mjd : p.t)),
            y: shown.map(value),
            text: shown.map(p => p.s),
            customdata: shown.map(p => (axis === "flux" ? p.ft : p.mt)),
            hovertemplate: (time === "mjd" ? "MJD %{x:.5f}" : "%{x}") + "<br>%{customdata}<br>%{text}<extra>" + name + "</extra>",
            marker: Object.assign({ color: colour, size: 7 }, marker, symbol ? { symbol: shown.map(symbol) } : {}),
        };
        if (error) {
            t.error_y = { type: "data", array: shown.map(p => error(p) || 0), visible: true, color: colour, thickness: 1 };
        }
        return t;
    }

    function traces(axis, time) {
        const all = [];
        series.forEach((s, index) => {
            const colour = colourOf(s, index);
            const label = s.survey ? s.survey + " " + s.band : s.band;
            const flux = axis === "flux";
            const value = flux ? p => p.f : p => p.m;
            const error = flux ? p => p.fe : p => p.e;
            all.push(trace(s, label, s.detections, value, error, colour, {}, p => shapeOf(p.b), time, axis));
            // On the magnitude axis a forced point is drawn only when it has a magnitude; its limit otherwise.
            all.push(trace(s, label + " forced", flux ? s.forced : s.forced.filter(p => !p.l),
                value, error, colour, { size: 7, line: { width: 1.5, color: colour } }, p => shapeOf(p.b) + "-open", time, axis));
            all.push(trace(s, label + " limit", s.limits, value, null, colour, { symbol: "triangle-down", size: 8, opacity: 0.5 }, null, time, axis));
            if (!flux) {
                all.push(trace(s, label + " forced limit", s.forced.filter(p => p.l), value, null, colour,
                    { symbol: "triangle-down-open", size: 8, line: { width: 1.5, color: colour } }, null, time, axis));
            }
        });
        // The brokers' shapes, explained in the legend in a neutral colour (no data of their own).
        brokers.forEach(b => all.push({
            name: b, legendgroup: "broker:" + b, type: "scatter", mode: "markers", x: [null], y: [null], showlegend: true,
            hoverinfo: "skip", marker: { color: isDark() ? "#bbb" : "#555", size: 8, symbol: shapeOf(b) },
        }));
        return all.filter(t => t !== null);
    }

    // The page's colours (Bootstrap's colour mode) for the plot's background, text and grid.
    function colours() {
        const style = getComputedStyle(document.body);
        const read = (name, fallbackColour) => style.getPropertyValue(name).trim() || fallbackColour;
        return {
            background: read("--bs-body-bg", "#fff"),
            text: read("--bs-body-color", "#212529"),
            grid: read("--bs-border-color", "#dee2e6"),
        };
    }

    // A phone-wide plot: a smaller left margin, and no toolbar (it would sit over the plot and the legend).
    const narrow = () => element.clientWidth < 576;

    function layout(axis, time) {
        const c = colours();
        const axisColours = { gridcolor: c.grid, linecolor: c.grid, zerolinecolor: c.grid };
        return {
            margin: { t: 20, r: 20, b: 120, l: narrow() ? 55 : 70 },
            paper_bgcolor: c.background,
            plot_bgcolor: c.background,
            font: { color: c.text },
            showlegend: true,
            xaxis: time === "mjd"
                ? Object.assign({ title: { text: "MJD" }, type: "linear", tickformat: ".1f", hoverformat: ".5f" }, axisColours)
                : Object.assign({ title: { text: "Time (UTC)" }, type: "date" }, axisColours),
            yaxis: axis === "flux"
                ? Object.assign({ title: { text: "Flux (nJy)" }, zeroline: true, autorange: true }, axisColours, { zerolinecolor: "#999" })
                : Object.assign({ title: { text: "Magnitude" }, autorange: "reversed" }, axisColours),
            legend: { orientation: "h", x: 0, y: -0.16, yanchor: "top" },
        };
    }

    const config = () => ({ responsive: true, displaylogo: false, displayModeBar: narrow() ? false : "hover" });
    const axisButtons = document.querySelectorAll("[data-lightcurve-axis]");
    const timeButtons = document.querySelectorAll("[data-lightcurve-time]");
    const state = { axis: "magnitude", time: "date" };

    function press(buttons, key, value) {
        buttons.forEach(b => {
            const active = b.dataset[key] === value;
            b.classList.toggle("active", active);
            b.setAttribute("aria-pressed", active ? "true" : "false");
        });
    }

    function draw() {
        window.Plotly.react(element, traces(state.axis, state.time), layout(state.axis, state.time), config());
        element.dataset.narrow = narrow() ? "true" : "false";
        element.dataset.axis = state.axis;
        element.dataset.time = state.time;
        press(axisButtons, "lightcurveAxis", state.axis);
        press(timeButtons, "lightcurveTime", state.time);
    }

    function start() {
        axisButtons.forEach(b => b.addEventListener("click", () => { state.axis = b.dataset.lightcurveAxis; draw(); }));
        timeButtons.forEach(b => b.addEventListener("click", () => { state.time = b.dataset.lightcurveTime; draw(); }));
        draw();
        // Redrawn when the colour mode changes, and when the plot crosses the phone width (toolbar shown or hidden).
        document.addEventListener("tomalerts:themechange", draw);
        window.addEventListener("resize", () => {
            if ((element.dataset.narrow === "true") !== narrow()) {
                draw();
            }
        });
    }

    fetch(element.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(response => {
            if (response.redirected) {
                throw new Error("you are no longer logged in");
            }
            if (!response.ok) {
                throw new Error("the server answered " + response.status);
            }
            return response.json();
        })
        .then(loaded => {
            series = loaded;
            brokers = Array.from(new Set(series.flatMap(s => s.detections.concat(s.forced, s.limits).map(p => p.b))))
                .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            start();
        })
        .catch(e => {
            const note = document.createElement("p");
            note.className = "text-danger m-2";
            note.id = "lightcurve-error";
            note.textContent = "The light curve could not be loaded (" + e.message + "). Reload the page to try again.";
            element.replaceChildren(note);
        })
        .finally(() => element.removeAttribute("aria-busy"));
})();
