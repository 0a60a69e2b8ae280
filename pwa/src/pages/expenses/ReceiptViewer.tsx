import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

import { useT } from '../../i18n';
import type { Box, ReceiptView } from './model';

const MIN_ZOOM = 1;
const MAX_ZOOM = 5;
const TAP_ZOOM = 2.5;

export interface Highlight {
  /** The field's name as people read it ("Belopp"). */
  label: string;
  boxes: Box[];
}

interface Anchor {
  /** A point of the picture (0..1 of its width and height)... */
  fx: number;
  fy: number;
  /** ...that should end up this far (px) from the frame's top left corner. */
  vx: number;
  vy: number;
}

function clamp(value: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value));
}

function union(boxes: Box[]): Box | null {
  if (!boxes.length) return null;
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/**
 * The receipt as photographed, zoomable (buttons, +/- keys, pinch, tap) and with the
 * words a field was read from outlined. `reveal` changes when the employee asks to see a
 * field on the receipt: the picture then comes into view, zoomed in on that field.
 */
export function ReceiptViewer({ receipt, highlight, reveal }: { receipt: ReceiptView; highlight: Highlight | null; reveal: number }) {
  const t = useT();
  const [zoom, setZoom] = useState(1);
  const figure = useRef<HTMLElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const anchor = useRef<Anchor | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ distance: number; zoom: number; anchor: Anchor } | null>(null);
  const pinched = useRef(false);

  const size = receipt.interpretation?.image_size?.width
    ? receipt.interpretation.image_size
    : { width: receipt.width ?? 0, height: receipt.height ?? 0 };

  /** Zoom so that a point of the picture stays where it is (or goes where it is asked to). */
  const zoomTo = (next: number, at?: Anchor) => {
    const el = frame.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    anchor.current = at ?? {
      fx: (el.scrollLeft + rect.width / 2) / el.scrollWidth,
      fy: (el.scrollTop + Math.min(rect.height, el.scrollHeight) / 2) / el.scrollHeight,
      vx: rect.width / 2,
      vy: Math.min(rect.height, el.scrollHeight) / 2,
    };
    setZoom(clamp(next));
  };

  useLayoutEffect(() => {
    const el = frame.current;
    const at = anchor.current;
    if (!el || !at) return;
    anchor.current = null;
    el.scrollLeft = at.fx * el.scrollWidth - at.vx;
    el.scrollTop = at.fy * el.scrollHeight - at.vy;
  }, [zoom]);

  // "Visa på kvittot": bring the picture into view, zoomed in on the field's words.
  useEffect(() => {
    if (!reveal || !highlight) return;
    const box = union(highlight.boxes);
    const el = frame.current;
    figure.current?.scrollIntoView({ block: 'start', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    if (!box || !el || !size.width || !size.height) return;
    const rect = el.getBoundingClientRect();
    const fit = clamp(Math.min(2.5, (rect.width * 0.8) / ((box.width / size.width) * rect.width)));
    zoomTo(Math.max(fit, 1.5), {
      fx: (box.left + box.width / 2) / size.width,
      fy: (box.top + box.height / 2) / size.height,
      vx: rect.width / 2,
      vy: Math.min(rect.height, window.innerHeight * 0.6) / 2,
    });
  }, [reveal]);

  // A field focused in the form: when zoomed in, bring its words into the frame (the page stays put).
  const boxKey = highlight ? highlight.boxes.map((b) => `${b.left},${b.top}`).join(';') : '';
  useEffect(() => {
    const box = highlight ? union(highlight.boxes) : null;
    const el = frame.current;
    if (!box || !el || zoom <= MIN_ZOOM || !size.width || !size.height) return;
    const rect = el.getBoundingClientRect();
    el.scrollLeft = ((box.left + box.width / 2) / size.width) * el.scrollWidth - rect.width / 2;
    el.scrollTop = ((box.top + box.height / 2) / size.height) * el.scrollHeight - rect.height / 2;
  }, [boxKey]);

  const onPointerDown = (event: PointerEvent) => {
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const el = frame.current;
      if (!el) return;
      const rect = el.getBoundingClientRect();
      const vx = (a.x + b.x) / 2 - rect.left;
      const vy = (a.y + b.y) / 2 - rect.top;
      pinch.current = {
        distance: Math.hypot(a.x - b.x, a.y - b.y) || 1,
        zoom,
        anchor: { fx: (el.scrollLeft + vx) / el.scrollWidth, fy: (el.scrollTop + vy) / el.scrollHeight, vx, vy },
      };
      pinched.current = true;
    }
  };

  const onPointerMove = (event: PointerEvent) => {
    if (!pointers.current.has(event.pointerId)) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const start = pinch.current;
    if (!start || pointers.current.size !== 2) return;
    event.preventDefault();
    const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
    zoomTo(start.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / start.distance), start.anchor);
  };

  const onPointerEnd = (event: PointerEvent) => {
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
  };

  /** A tap zooms in where it landed; a tap on a zoomed picture shows all of it again. */
  const onClick = (event: MouseEvent) => {
    if (pinched.current) {
      pinched.current = pointers.current.size > 0;
      return;
    }
    const el = frame.current;
    if (!el) return;
    if (zoom > MIN_ZOOM) {
      zoomTo(MIN_ZOOM, { fx: 0, fy: 0, vx: 0, vy: 0 });
      return;
    }
    const rect = el.getBoundingClientRect();
    const vx = event.clientX - rect.left;
    const vy = event.clientY - rect.top;
    zoomTo(TAP_ZOOM, { fx: (el.scrollLeft + vx) / el.scrollWidth, fy: (el.scrollTop + vy) / el.scrollHeight, vx, vy });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === '+' || event.key === '=') zoomTo(zoom * 1.5);
    else if (event.key === '-') zoomTo(zoom / 1.5);
    else if (event.key === '0') zoomTo(MIN_ZOOM, { fx: 0, fy: 0, vx: 0, vy: 0 });
    else return;
    event.preventDefault();
  };

  if (receipt.content_type === 'application/pdf') {
    return (
      <figure class="receipt-viewer" ref={figure}>
        <p>{t.expenses.viewer.pdf}</p>
        <a class="button button--secondary" href={receipt.image_url} target="_blank" rel="noopener">
          {t.expenses.viewer.openPdf}
        </a>
      </figure>
    );
  }

  const boxes = highlight && size.width && size.height ? highlight.boxes : [];
  return (
    <figure class="receipt-viewer" ref={figure}>
      <div class="receipt-viewer__tools" role="group" aria-label={t.expenses.viewer.tools}>
        <button
          type="button"
          class="button button--secondary button--icon"
          onClick={() => zoomTo(zoom / 1.5)}
          aria-disabled={zoom <= MIN_ZOOM}
        >
          <span aria-hidden="true">−</span>
          <span class="visually-hidden">{t.expenses.viewer.zoomOut}</span>
        </button>
        <output class="receipt-viewer__zoom" aria-live="polite">
          {t.expenses.viewer.zoom(Math.round(zoom * 100))}
        </output>
        <button
          type="button"
          class="button button--secondary button--icon"
          onClick={() => zoomTo(zoom * 1.5)}
          aria-disabled={zoom >= MAX_ZOOM}
        >
          <span aria-hidden="true">+</span>
          <span class="visually-hidden">{t.expenses.viewer.zoomIn}</span>
        </button>
        <button
          type="button"
          class="button button--secondary"
          onClick={() => zoomTo(MIN_ZOOM, { fx: 0, fy: 0, vx: 0, vy: 0 })}
        >
          {t.expenses.viewer.fit}
        </button>
      </div>
      <div
        ref={frame}
        class="receipt-viewer__frame"
        role="group"
        aria-label={t.expenses.viewer.label}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
      >
        <div class="receipt-viewer__canvas" style={{ width: `${zoom * 100}%` }} onClick={onClick}>
          <img
            src={receipt.image_url}
            alt={t.expenses.form.receiptAlt}
            width={size.width || undefined}
            height={size.height || undefined}
            decoding="async"
            draggable={false}
          />
          {boxes.map((box, index) => (
            <span
              key={index}
              class="receipt-box"
              aria-hidden="true"
              style={{
                left: `${(box.left / size.width) * 100}%`,
                top: `${(box.top / size.height) * 100}%`,
                width: `${(box.width / size.width) * 100}%`,
                height: `${(box.height / size.height) * 100}%`,
              }}
            />
          ))}
        </div>
      </div>
      <figcaption class="receipt-viewer__caption" aria-live="polite">
        {highlight && boxes.length ? t.expenses.viewer.marked(highlight.label) : t.expenses.viewer.hint}
      </figcaption>
    </figure>
  );
}
