export {
  createAdmission,
  type Admission,
  type AdmissionControl,
  type AdmissionOptions,
  type Lease,
  type Settlement,
  type WaitReason,
} from './create-admission.ts';
export { quotaKeyOf } from './quota-key-of.ts';
/** The budget type lives with the config section it is written in (`bedrock.quotas`). */
export type { QuotaBudget } from '@turnpool/config';
export type { QuotaStatus } from './quota-status.ts';
