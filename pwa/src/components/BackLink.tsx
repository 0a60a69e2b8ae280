/** "← Tillbaka till …": the way back to the list a page belongs to. */
export function BackLink({ href, text }: { href: string; text: string }) {
  return (
    <p class="back-link">
      <a href={href}>
        <span aria-hidden="true">←</span>
        {text}
      </a>
    </p>
  );
}
