import { NotFoundContent } from "@/components/ui/not-found-content";

// Inside the shell, so the sidebar stays available.
export default function AppNotFound() {
  return <NotFoundContent />;
}
