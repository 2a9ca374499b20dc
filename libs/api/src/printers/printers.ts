// The printer for each kind with one of its own.
import { cronJobPrinter, jobPrinter } from './batch';
import { certificateSigningRequestPrinter } from './certificates';
import { dataVolumePrinter } from './cdi';
import { Printer } from './columns';
import { controllerRevisionPrinter, daemonSetPrinter, statefulSetPrinter } from './daemon-stateful';
import { eventPrinter, hpaPrinter, leasePrinter, namespacePrinter, nodePrinter } from './cluster';
import { configMapPrinter, secretPrinter } from './config';
import { virtualMachineInstancePrinter, virtualMachineInstanceReplicaSetPrinter, virtualMachinePrinter } from './kubevirt';
import { endpointSlicePrinter, servicePrinter } from './network';
import { podPrinter } from './pod';
import { podDisruptionBudgetPrinter } from './policy';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage';
import { deploymentPrinter, replicaSetPrinter } from './workloads';

// Printers are typed by their kind; the table looks them up by kind name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PRINTERS: Record<string, Printer<any>> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Event: eventPrinter,
  Lease: leasePrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  HorizontalPodAutoscaler: hpaPrinter,
  VirtualMachine: virtualMachinePrinter,
  VirtualMachineInstance: virtualMachineInstancePrinter,
  VirtualMachineInstanceReplicaSet: virtualMachineInstanceReplicaSetPrinter,
  Service: servicePrinter,
  EndpointSlice: endpointSlicePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  Job: jobPrinter,
  CronJob: cronJobPrinter,
  DaemonSet: daemonSetPrinter,
  StatefulSet: statefulSetPrinter,
  ControllerRevision: controllerRevisionPrinter,
  PodDisruptionBudget: podDisruptionBudgetPrinter,
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  StorageClass: storageClassPrinter,
  CertificateSigningRequest: certificateSigningRequestPrinter,
  DataVolume: dataVolumePrinter,
};
