// The signature pad: the agent signs with a finger, a pen or the mouse in the frame; the
// drawing goes into the form's hidden field, as a PNG, when the form is sent.
(function () {
    "use strict";
    var canvas = document.getElementById("signature-pad");
    if (!canvas) {
        return;
    }
    var form = canvas.closest("form");
    var field = form.querySelector("input[name=signature]");
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function reset() {
        // Setting the size empties the canvas; the ratio keeps the line sharp.
        var ratio = window.devicePixelRatio || 1;
        canvas.width = canvas.clientWidth * ratio;
        canvas.height = canvas.clientHeight * ratio;
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.lineWidth = 2.5;
        context.lineCap = "round";
        context.lineJoin = "round";
        context.strokeStyle = "#000";
        drawn = false;
        field.value = "";
    }

    function point(event) {
        var box = canvas.getBoundingClientRect();
        return [event.clientX - box.left, event.clientY - box.top];
    }

    canvas.addEventListener("pointerdown", function (event) {
        drawing = true;
        canvas.setPointerCapture(event.pointerId);
        var at = point(event);
        context.beginPath();
        context.moveTo(at[0], at[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
        if (!drawing) {
            return;
        }
        var at = point(event);
        context.lineTo(at[0], at[1]);
        context.stroke();
        drawn = true;
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
        canvas.addEventListener(name, function () {
            drawing = false;
        });
    });
    document.getElementById("signature-effacer").addEventListener("click", reset);
    form.addEventListener("submit", function () {
        field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
    reset();
})();
