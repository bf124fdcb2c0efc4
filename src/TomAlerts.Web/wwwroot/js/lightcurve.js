// Draws a target's light curve, one colour per survey and band ("LSST g" and "ZTF g" apart), and switches between
// a magnitude axis (inverted: detections with error bars, forced points as open squares, limits as downward triangles)
// and a flux axis in nJy (detections and forced points with error bars, negative fluxes where they are, limits as
// downward triangles at the limit's flux).
(function () {
    "use strict";
    const element = document.getElementById("lightcurve");
    if (!element || !window.Plotly) {
        return;
    }
    const series = JSON.parse(element.dataset.points);
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

    function colourOf(s, index) {
        return palette[(s.survey || "") + ":" + s.band] || (!s.survey && palette[bandOnly[s.band]]) || fallback[index % fallback.length];
    }

    function trace(s, name, points, value, error, colour, marker) {
        const shown = points.filter(p => value(p) !== null && value(p) !== undefined);
        if (shown.length === 0) {
            return null;
        }
        const t = {
            name: name,
            legendgroup: s.survey + " " + s.band,
            type: "scatter",
            mode: "markers",
            x: shown.map(p => p.t),
            y: shown.map(value),
            text: shown.map(p => p.s),
            hovertemplate: "%{x}<br>%{y}<br>%{text}<extra>" + name + "</extra>",
            marker: Object.assign({ color: colour, size: 7 }, marker),
        };
        if (error) {
            t.error_y = { type: "data", array: shown.map(p => error(p) || 0), visible: true, color: colour, thickness: 1 };
        }
        return t;
    }

    function traces(axis) {
        const all = [];
        series.forEach((s, index) => {
            const colour = colourOf(s, index);
            const label = s.survey ? s.survey + " " + s.band : s.band;
            const flux = axis === "flux";
            const value = flux ? p => p.f : p => p.m;
            const error = flux ? p => p.fe : p => p.e;
            all.push(trace(s, label, s.detections, value, error, colour, { symbol: "circle" }));
            // On the magnitude axis a forced point is drawn only when it has a magnitude; its limit otherwise.
            all.push(trace(s, label + " forced", flux ? s.forced : s.forced.filter(p => !p.l),
                value, error, colour, { symbol: "square-open", size: 7, line: { width: 1.5, color: colour } }));
            all.push(trace(s, label + " limit", s.limits, value, null, colour, { symbol: "triangle-down", size: 8, opacity: 0.5 }));
            if (!flux) {
                all.push(trace(s, label + " forced limit", s.forced.filter(p => p.l), value, null, colour,
                    { symbol: "triangle-down-open", size: 8, line: { width: 1.5, color: colour } }));
            }
        });
        return all.filter(t => t !== null);
    }

    function layout(axis) {
        return {
            margin: { t: 20, r: 20, b: 120, l: 70 },
            xaxis: { title: { text: "Time (UTC)" } },
            yaxis: axis === "flux"
                ? { title: { text: "Flux (nJy)" }, zeroline: true, zerolinecolor: "#999", autorange: true }
                : { title: { text: "Magnitude" }, autorange: "reversed" },
            legend: { orientation: "h", x: 0, y: -0.16, yanchor: "top" },
        };
    }

    const config = { responsive: true, displaylogo: false };
    const buttons = document.querySelectorAll("[data-lightcurve-axis]");

    function draw(axis) {
        window.Plotly.react(element, traces(axis), layout(axis), config);
        element.dataset.axis = axis;
        buttons.forEach(b => {
            const active = b.dataset.lightcurveAxis === axis;
            b.classList.toggle("active", active);
            b.setAttribute("aria-pressed", active ? "true" : "false");
        });
    }

    buttons.forEach(b => b.addEventListener("click", () => draw(b.dataset.lightcurveAxis)));
    draw("magnitude");
})();
