import type { ApiError } from '../../api';
import { InputField } from '../../components/InputField';

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
  const { field, ...rest } = props;
  return (
    <InputField
      {...rest}
      name={field}
      type="password"
      required
      minLength={props.autocomplete === 'new-password' ? MIN_PASSWORD_LENGTH : undefined}
    />
  );
}

/** The server's policy (backend/core/passwords.py); the server checks it, this only helps the browser. */
export const MIN_PASSWORD_LENGTH = 12;
