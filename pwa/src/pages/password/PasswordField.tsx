import type { ApiError } from '../../api';

/** One password input with its label and the server's message for its field. */
export function PasswordField(props: {
  id: string;
  field: string;
  label: string;
  autocomplete: 'current-password' | 'new-password';
  value: string;
  onInput: (value: string) => void;
  error: ApiError | null;
}) {
  const message = props.error?.fieldError(props.field);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.field}
        type="password"
        autocomplete={props.autocomplete}
        required
        minLength={props.autocomplete === 'new-password' ? MIN_PASSWORD_LENGTH : undefined}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${props.id}-error` : undefined}
      />
      {message && (
        <p id={`${props.id}-error`} class="field__error">
          {message}
        </p>
      )}
    </div>
  );
}

/** The server's policy (backend/core/passwords.py); the server checks it, this only helps the browser. */
export const MIN_PASSWORD_LENGTH = 12;
