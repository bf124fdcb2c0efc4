// Draws a target's light curve: magnitude against time, y axis inverted, one colour per band,
// non-detection limits as downward triangles.
(function () {
    "use strict";
    const element = document.getElementById("lightcurve");
    if (!element || !window.Plotly) {
        return;
    }
    const bands = JSON.parse(element.dataset.points);
    const palette = { g: "#2ca02c", r: "#d62728", i: "#8c564b", G: "#1f77b4", o: "#ff7f0e", c: "#17becf" };
    const fallback = ["#9467bd", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    const traces = [];
    bands.forEach((band, index) => {
        const colour = palette[band.band] || fallback[index % fallback.length];
        if (band.detections.length > 0) {
            traces.push({
                name: band.band,
                type: "scatter",
                mode: "markers",
                x: band.detections.map(p => p.t),
                y: band.detections.map(p => p.m),
                error_y: { type: "data", array: band.detections.map(p => p.e || 0), visible: true, color: colour },
                text: band.detections.map(p => p.s),
                marker: { color: colour, size: 7 },
            });
        }
        if (band.limits.length > 0) {
            traces.push({
                name: band.band + " limit",
                type: "scatter",
                mode: "markers",
                x: band.limits.map(p => p.t),
                y: band.limits.map(p => p.m),
                text: band.limits.map(p => p.s),
                marker: { color: colour, symbol: "triangle-down", size: 8, opacity: 0.5 },
            });
        }
    });
    window.Plotly.newPlot(element, traces, {
        margin: { t: 50, r: 20, b: 50, l: 60 },
        xaxis: { title: { text: "Time (UTC)" } },
        yaxis: { title: { text: "Magnitude" }, autorange: "reversed" },
        legend: { orientation: "h", x: 0, y: 1.12 },
    }, { responsive: true, displaylogo: false });
})();
