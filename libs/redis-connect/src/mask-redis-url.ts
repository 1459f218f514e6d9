/** A Redis URL fit for logs and errors: user info (password, ACL user) replaced by `***`. */
export function maskRedisUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
