// Reading QR codes with the camera, where the browser has a BarcodeDetector (Chromium on Android and
// ChromeOS, Safari...); elsewhere nothing is shown and the code is typed, pasted or sent by a scanner.
import { h } from "../dom";

// The same code seen again this soon is the same ticket still in front of the camera, not a new scan.
const SAME_CODE_MS = 3000;

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

export interface Camera {
  element: HTMLElement;
  stop: () => void;
}

/** Returns the camera's controls (hidden without a BarcodeDetector); `onCode` gets each code read. */
export function startCamera(onCode: (text: string) => void): Camera {
  const Detector = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  const element = h("section", { class: "camera", "aria-label": "Camera", hidden: Detector === undefined });
  let stream: MediaStream | null = null;
  let running = false;

  const stop = () => {
    running = false;
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    toggle.textContent = "Scan with the camera";
    video.hidden = true;
  };
  const video = h("video", { muted: true, playsinline: true, hidden: true, "aria-label": "Camera view" });
  const message = h("p", { class: "alert", role: "alert", hidden: true });
  const toggle = h("button", { type: "button", class: "secondary" }, "Scan with the camera");

  async function start(detector: Detector): Promise<void> {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      message.textContent = "The camera could not be opened; type or paste the code instead.";
      message.hidden = false;
      return;
    }
    message.hidden = true;
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    running = true;
    toggle.textContent = "Stop the camera";
    let last = "";
    let lastAt = 0;
    while (running) {
      const codes = await detector.detect(video).catch(() => []);
      const text = codes[0]?.rawValue;
      if (text && (text !== last || Date.now() - lastAt > SAME_CODE_MS)) {
        last = text;
        lastAt = Date.now();
        onCode(text);
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  toggle.addEventListener("click", () => {
    if (running || stream !== null) return stop();
    if (Detector !== undefined) void start(new Detector({ formats: ["qr_code"] }));
  });
  element.append(toggle, message, video);
  return { element, stop };
}
