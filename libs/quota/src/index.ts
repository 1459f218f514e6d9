export {
  createAdmission, type Admission, type AdmissionControl, type AdmissionOptions, type Lease, type Settlement, type WaitReason,
} from './create-admission.ts';
export { quotaKeyOf, type QuotaBudget } from './quota-budget.ts';
export type { QuotaStatus } from './quota-status.ts';
