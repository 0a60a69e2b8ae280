import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

/** How far (px) a finger must travel to the left before letting go opens the item. */
const OPEN_AT = 72;
/** Movement below this is a tap, not a swipe. */
const SLOP = 10;

/**
 * A list row that a finger can swipe to the left to open: the same as tapping its link,
 * which stays the visible way for everyone else (mouse, keyboard, screen readers, switch
 * access). Only touch starts a swipe; vertical movement is left to the page's scrolling
 * (`touch-action: pan-y` in the CSS).
 */
export function SwipeRow({
  class: className,
  onSwipe,
  hint,
  children,
}: {
  class: string;
  onSwipe: () => void;
  /** Shown behind the row while it moves (the row's link says the same to everyone). */
  hint: string;
  children: ComponentChildren;
}) {
  const [offset, setOffset] = useState(0);
  const start = useRef<{ x: number; y: number; id: number; swiping: boolean } | null>(null);
  const swiped = useRef(false);

  const reset = () => {
    start.current = null;
    setOffset(0);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.pointerType !== 'touch' || (event.target as Element).closest('input, label')) return;
    start.current = { x: event.clientX, y: event.clientY, id: event.pointerId, swiping: false };
    swiped.current = false;
  };

  const onPointerMove = (event: PointerEvent) => {
    const at = start.current;
    if (!at || event.pointerId !== at.id) return;
    const dx = event.clientX - at.x;
    const dy = event.clientY - at.y;
    if (!at.swiping) {
      if (Math.abs(dy) > SLOP && Math.abs(dy) > Math.abs(dx)) {
        reset(); // scrolling the list
        return;
      }
      if (Math.abs(dx) <= SLOP) return;
      at.swiping = true;
    }
    setOffset(Math.min(0, Math.max(dx, -OPEN_AT * 1.6)));
  };

  const onPointerUp = (event: PointerEvent) => {
    const at = start.current;
    if (!at || event.pointerId !== at.id) return;
    const open = at.swiping && event.clientX - at.x <= -OPEN_AT;
    swiped.current = at.swiping;
    reset();
    if (open) onSwipe();
  };

  /** A swipe that ends over the link must not also count as a tap on it. */
  const onClickCapture = (event: MouseEvent) => {
    if (!swiped.current) return;
    swiped.current = false;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <li
      class={`${className} swipe-row${offset ? ' swipe-row--moving' : ''}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={reset}
      onClickCapture={onClickCapture}
    >
      {offset !== 0 && (
        <span class={offset <= -OPEN_AT ? 'swipe-row__hint swipe-row__hint--ready' : 'swipe-row__hint'} aria-hidden="true">
          {hint} →
        </span>
      )}
      <div class="swipe-row__content" style={offset ? { transform: `translateX(${offset}px)` } : undefined}>
        {children}
      </div>
    </li>
  );
}
