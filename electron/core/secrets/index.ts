export { keyFileBox, foreignSecret, type SecretBox } from './secret-box';
export { Redactor } from './redactor';
