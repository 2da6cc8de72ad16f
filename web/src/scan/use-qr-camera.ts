import { type RefObject, useEffect, useRef } from "react";

type Detector = new (options: {
  formats: string[];
}) => {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
};

/** The browser's QR detector, where it has one (Chromium on Android and macOS; not desktop Linux). */
export function qrDetector(): Detector | undefined {
  return (window as unknown as { BarcodeDetector?: Detector }).BarcodeDetector;
}

/**
 * Reads QR codes from the back camera into `onValue` while `enabled`, four times a second; the same code twice in a
 * row is reported once. The latest `onValue` is always used, so the camera is not restarted when it changes.
 */
export function useQrCamera(
  enabled: boolean,
  video: RefObject<HTMLVideoElement | null>,
  onValue: (value: string) => Promise<void> | void,
  onError: (message: string) => void,
): void {
  const handler = useRef(onValue);
  handler.current = onValue;
  const errorHandler = useRef(onError);
  errorHandler.current = onError;
  useEffect(() => {
    const Detector = qrDetector();
    if (!enabled || !Detector) return;
    let stop = false;
    let stream: MediaStream | undefined;
    const detector = new Detector({ formats: ["qr_code"] });
    let last = "";
    void (async () => {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      const element = video.current;
      if (!element || stop) return;
      element.srcObject = stream;
      await element.play();
      while (!stop) {
        const found = await detector.detect(element).catch(() => []);
        const value = found[0]?.rawValue;
        if (value && value !== last) {
          last = value;
          await handler.current(value);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch((e: Error) => errorHandler.current(`Camera: ${e.message}`));
    return () => {
      stop = true;
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [enabled, video]);
}
