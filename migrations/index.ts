import { CreateIdentityJobsAndCells1795000000000 } from './1795000000000-CreateIdentityJobsAndCells';
import { CreateApps1795350000000 } from './1795350000000-CreateApps';
import { CreatePackages1795351000000 } from './1795351000000-CreatePackages';
import { CreateProcesses1795352000000 } from './1795352000000-CreateProcesses';
import { CreateBuildsDropletsAndInstances1795357412833 } from './1795357412833-CreateBuildsDropletsAndInstances';
import { CreateAuditEvents1795360084950 } from './1795360084950-CreateAuditEvents';
import { CreateDomainsAndRoutes1795362136012 } from './1795362136012-CreateDomainsAndRoutes';
import { UnmapDeletedApps1795367000000 } from './1795367000000-UnmapDeletedApps';
import { CreateServiceInstancesAndBindings1795372492902 } from './1795372492902-CreateServiceInstancesAndBindings';
import { SealAppEnvironmentVariables1795373778383 } from './1795373778383-SealAppEnvironmentVariables';
import { CreateEncryptionKeyCheck1795380000000 } from './1795380000000-CreateEncryptionKeyCheck';
import { CreateServiceBrokersAndManagedInstances1795389615949 } from './1795389615949-CreateServiceBrokersAndManagedInstances';
import { CreateRoles1796182783059 } from './1796182783059-CreateRoles';
import { AddAuditEventRequestId1796184025303 } from './1796184025303-AddAuditEventRequestId';
import { CreateQuotas1796184496153 } from './1796184496153-CreateQuotas';
import { AddUserTokenGeneration1796591433160 } from './1796591433160-AddUserTokenGeneration';
import { AddCellDockerTls1796591629962 } from './1796591629962-AddCellDockerTls';
import { CreateJobOutbox1796600000000 } from './1796600000000-CreateJobOutbox';
import { CreateRevisions1796648068990 } from './1796648068990-CreateRevisions';
import { CreateDeployments1796657093919 } from './1796657093919-CreateDeployments';
import { CreateTasks1796700000000 } from './1796700000000-CreateTasks';

/** Every migration, in order. Listed explicitly so ts (tests) and js (dist) runs see the same set. */
export const ALL_MIGRATIONS = [
  CreateIdentityJobsAndCells1795000000000,
  CreateApps1795350000000,
  CreatePackages1795351000000,
  CreateProcesses1795352000000,
  CreateBuildsDropletsAndInstances1795357412833,
  CreateAuditEvents1795360084950,
  CreateDomainsAndRoutes1795362136012,
  UnmapDeletedApps1795367000000,
  CreateServiceInstancesAndBindings1795372492902,
  SealAppEnvironmentVariables1795373778383,
  CreateEncryptionKeyCheck1795380000000,
  CreateServiceBrokersAndManagedInstances1795389615949,
  CreateRoles1796182783059,
  AddAuditEventRequestId1796184025303,
  CreateQuotas1796184496153,
  AddUserTokenGeneration1796591433160,
  AddCellDockerTls1796591629962,
  CreateJobOutbox1796600000000,
  CreateRevisions1796648068990,
  CreateDeployments1796657093919,
  CreateTasks1796700000000,
];
