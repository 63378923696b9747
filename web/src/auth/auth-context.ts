import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Me } from '../api/types';
import { can, type Action } from './permissions';

export interface Auth {
  me: Me;
  api: ApiClient;
  signOut: () => void;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside a signed-in tree');
  return auth;
}

export function useCan(): (action: Action) => boolean {
  const { me } = useAuth();
  return (action) => can(me, action);
}
