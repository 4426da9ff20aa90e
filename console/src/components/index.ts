export { ConfirmButton, type ConfirmButtonProps } from './ConfirmButton';
export { CopyField, type CopyFieldProps } from './CopyField';
export { EmptyState } from './EmptyState';
export { GenerateOnceSecret, type GenerateOnceSecretProps } from './GenerateOnceSecret';
export { PageHeader } from './PageHeader';
export { QueryState, errorMessage, type QueryResultLike, type QueryStateProps } from './QueryState';
