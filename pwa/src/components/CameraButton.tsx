import type { ComponentChildren } from 'preact';

/**
 * The big "take a photo" button: a file input that opens the phone's back camera at once
 * (`capture="environment"`) and hands over the one picture taken. The caller decides what an upload
 * is, so the start page can load the upload code only when a photo is actually taken.
 */
export function CameraButton({
  onFile,
  describedBy,
  children,
}: {
  onFile: (file: File) => void;
  describedBy?: string;
  children: ComponentChildren;
}) {
  const onChange = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) onFile(file);
  };
  return (
    <label class="button button--primary button--large file-button">
      <input
        class="visually-hidden"
        type="file"
        accept="image/*,application/pdf"
        capture="environment"
        aria-describedby={describedBy}
        onChange={onChange}
      />
      <span aria-hidden="true" class="button__icon">
        +
      </span>
      {children}
    </label>
  );
}
