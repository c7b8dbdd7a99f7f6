// The page side of pvclient.notebook.ViewWidget: shows the frames the kernel sets, and sends the mouse back.
// Moves are sent one at a time: the next waits until the frame it caused has arrived, so that a slow server
// gets fewer, larger steps instead of a growing queue.

function render({ model, el }) {
  const img = document.createElement("img");
  img.style.cursor = "grab";
  img.style.userSelect = "none";
  img.draggable = false;
  img.width = model.get("width");
  img.height = model.get("height");
  el.appendChild(img);

  let url = null;
  let waiting = false; // a move was sent and its frame has not come yet
  let pending = null; // the latest move made meanwhile
  let button = -1;

  function show() {
    const blob = new Blob([model.get("frame")], { type: model.get("mime") });
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(blob);
    img.src = url;
  }
  show(); // the still the kernel rendered for the cell
  model.on("change:index", () => {
    show();
    waiting = false;
    if (pending) {
      const next = pending;
      pending = null;
      send(next);
    }
  });

  function position(event) {
    const box = img.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  function send(message) {
    if (message.kind === "move") {
      if (waiting) {
        pending = message;
        return;
      }
      waiting = true;
    }
    model.send(message);
  }

  img.addEventListener("pointerdown", (event) => {
    button = event.button;
    img.setPointerCapture(event.pointerId);
    send({ kind: "down", button, shift: event.shiftKey, ...position(event) });
  });
  img.addEventListener("pointermove", (event) => {
    if (button < 0) return;
    send({ kind: "move", button, shift: event.shiftKey, ...position(event) });
  });
  img.addEventListener("pointerup", (event) => {
    button = -1;
    pending = null;
    send({ kind: "up", ...position(event) });
  });
  img.addEventListener("contextmenu", (event) => event.preventDefault());
  img.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      send({ kind: "wheel", delta: event.deltaY, ...position(event) });
    },
    { passive: false },
  );
  return () => {
    if (url) URL.revokeObjectURL(url);
  };
}

export default { render };
