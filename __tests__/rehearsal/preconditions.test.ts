/** Objects that exist before a stack is applied, pre-created by the emulator wrapper. */
import { motoArgs } from '../../src/rehearsal/moto';
import { securityGroupsFor } from '../../src/rehearsal/scenario';

test('production lets an existing client security group in by id: the emulator pre-creates it under that id', () => {
  expect(securityGroupsFor('mlflow-production')).toEqual({ 'sg-0123456789abcdef0': 'existing-client-sg-0123456789abcdef0' });
  expect(securityGroupsFor('mlflow-staging')).toEqual({});
  expect(motoArgs(4000, { securityGroups: securityGroupsFor('mlflow-production') }).slice(-2)).toEqual(['--security-group', 'sg-0123456789abcdef0=existing-client-sg-0123456789abcdef0']);
});
