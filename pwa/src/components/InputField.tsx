import type { InputHTMLAttributes } from 'preact';

import type { ApiError } from '../api';

/**
 * A labelled input with the server's message for its field (`error.fieldError(name)`) below it,
 * tied to the input for screen readers.
 */
export function InputField(
  props: {
    id: string;
    name: string;
    label: string;
    value: string;
    onInput: (value: string) => void;
    error: ApiError | null;
    type: 'email' | 'password' | 'text';
    inputMode?: 'email' | 'text';
    autocomplete?: string;
    autocapitalize?: 'none';
    spellcheck?: boolean;
    required?: boolean;
    minLength?: number | undefined;
  },
) {
  const { id, name, label, value, onInput, error, ...input } = props;
  const message = error?.fieldError(name);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        {...(input as InputHTMLAttributes<HTMLInputElement>) /* one of Preact's per-type input shapes */}
        id={id}
        name={name}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />
      {message && (
        <p id={`${id}-error`} class="field__error">
          {message}
        </p>
      )}
    </div>
  );
}
