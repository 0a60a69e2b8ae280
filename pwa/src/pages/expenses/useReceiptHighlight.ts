import { useState } from 'preact/hooks';

/**
 * Which field is pointed out on the receipt (the one focused, or the last "show on the receipt"),
 * and `reveal`, counted up on each "show" so the viewer scrolls to it again.
 */
export function useReceiptHighlight() {
  const [active, setActive] = useState<string | null>(null);
  const [reveal, setReveal] = useState(0);
  const show = (name: string) => {
    setActive(name);
    setReveal((n) => n + 1);
  };
  return { active, reveal, setActive, show };
}
