import { redirect } from "next/navigation";

// The product starts at the project list; /projects itself sends visitors to sign-in or setup.
export default function Home() {
  redirect("/projects");
}
