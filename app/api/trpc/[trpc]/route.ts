import { handleTrpcRequest } from "@/server/api/http-handler";
import { getCookieSession } from "@/server/api/next-session";

function handler(request: Request) {
  return handleTrpcRequest(request, getCookieSession);
}

export { handler as GET, handler as POST };
